package ledger.audit.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.Checkpoint;
import ledger.audit.checkpoint.CheckpointSignatureException;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.export.ConsistencyLine;
import ledger.audit.merkle.ConsistencyProofVerifier;
import ledger.audit.merkle.MerkleProofException;

/**
 * Check 6: every earlier checkpoint's signature verifies (as it is read), and, once the final
 * checkpoint is known, its consistency proof verifies (RFC 9162 2.1.4.2) and, for an export from
 * position 0, its rootHash is the root over the first treeSize event hashes. Failures are
 * reported in line order: checkpoint line, then its consistency line, then the next checkpoint.
 */
final class EarlierCheckpointCheck {

    /** Earlier checkpoints kept (each a few hundred bytes plus its proof). */
    static final int EARLIER_CHECKPOINTS_MAX = 100_000;

    private record Earlier(long checkpointLine, Checkpoint checkpoint, long consistencyLine, ConsistencyLine proof) {
    }

    private final VerifyingKey trusted;
    private final List<Earlier> earlier = new ArrayList<>();

    EarlierCheckpointCheck(VerifyingKey trusted) {
        this.trusted = trusted;
    }

    void add(long checkpointLine, SignedCheckpoint signed, long consistencyLine, ConsistencyLine proof)
            throws VerificationException {
        if (earlier.size() >= EARLIER_CHECKPOINTS_MAX) {
            throw new VerificationException(checkpointLine, Check.EARLIER_CHECKPOINT, "more than "
                    + EARLIER_CHECKPOINTS_MAX + " earlier checkpoints");
        }
        try {
            signed.verify(trusted);
        } catch (CheckpointSignatureException e) {
            throw new VerificationException(checkpointLine, Check.EARLIER_CHECKPOINT, "earlier checkpoint "
                    + e.getMessage());
        }
        earlier.add(new Earlier(checkpointLine, signed.checkpoint(), consistencyLine, proof));
    }

    int count() {
        return earlier.size();
    }

    /** @param fullTree the leaves of an export from position 0, or null for a partial export */
    void verify(Checkpoint finalCheckpoint, MerkleRootCheck fullTree) throws VerificationException {
        long n = finalCheckpoint.treeSize();
        Map<Long, String> prefixRoots = null;
        if (fullTree != null) {
            TreeSet<Long> sizes = new TreeSet<>();
            earlier.stream().map(e -> e.checkpoint().treeSize()).filter(m -> m <= n).forEach(sizes::add);
            prefixRoots = fullTree.rootsAt(sizes);
        }
        for (Earlier e : earlier) {
            long m = e.checkpoint().treeSize();
            if (m > n) {
                throw new VerificationException(e.checkpointLine(), Check.EARLIER_CHECKPOINT, "treeSize: expected at "
                        + "most " + n + " (the final checkpoint's), actual " + m);
            }
            if (prefixRoots != null && !prefixRoots.get(m).equals(e.checkpoint().rootHash())) {
                throw new VerificationException(e.checkpointLine(), Check.EARLIER_CHECKPOINT, "rootHash: expected "
                        + prefixRoots.get(m) + " (RFC 6962 root over the first " + m + " event hashes), actual "
                        + e.checkpoint().rootHash());
            }
            try {
                ConsistencyProofVerifier.verify(m, e.checkpoint().rootHashBytes(), n, finalCheckpoint.rootHashBytes(),
                        e.proof().proof().stream().map(Sha256::unhex).toList());
            } catch (MerkleProofException x) {
                throw new VerificationException(e.consistencyLine(), Check.EARLIER_CHECKPOINT, x.getMessage());
            }
        }
    }
}
