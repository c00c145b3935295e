package ledger.audit.verify;

import java.util.Arrays;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.Checkpoint;
import ledger.audit.export.ParsedEvent;
import ledger.audit.merkle.InclusionProofVerifier;
import ledger.audit.merkle.MerkleProofException;

/**
 * Check 5 for an export from position a &gt; 0: every event's inclusion proof leads to the final
 * checkpoint's rootHash (RFC 9162 2.1.3.2), and that checkpoint's treeSize is b + 1.
 *
 * <p>The root only arrives on the last line, so each proof is folded into the root it implies as
 * its line is read (with tree size b + 1 from the header, checked against the checkpoint at the
 * end). Instead of keeping one root per event, only three facts are kept: the first proof of the
 * wrong shape, the first line's implied root, and the first line whose implied root differs from
 * that. If the first root is the checkpoint's, the first failing line is the first one that
 * differs; otherwise it is the first line. O(1) memory for any number of events.
 */
final class InclusionProofCheck {

    private final long treeSize;
    private long shapeFailureLine;
    private String shapeFailure;
    private long firstLine;
    private byte[] firstRoot;
    private long deviationLine;
    private byte[] deviationRoot;

    /** @param treeSize b + 1, the tree size the proofs are against */
    InclusionProofCheck(long treeSize) {
        this.treeSize = treeSize;
    }

    void event(long line, ParsedEvent e) {
        byte[] root;
        try {
            root = InclusionProofVerifier.calculateRoot(e.position(), treeSize, e.hash(), e.inclusionProof());
        } catch (MerkleProofException x) {
            if (shapeFailure == null) {
                shapeFailureLine = line;
                shapeFailure = x.getMessage();
            }
            return;
        }
        if (firstRoot == null) {
            firstLine = line;
            firstRoot = root;
        } else if (deviationRoot == null && !Arrays.equals(root, firstRoot)) {
            deviationLine = line;
            deviationRoot = root;
        }
    }

    void finalCheckpoint(long line, Checkpoint cp, long expectedTreeSize) throws VerificationException {
        TreeSizeRule.check(line, cp, expectedTreeSize);
        long failingLine = Long.MAX_VALUE;
        String detail = null;
        if (shapeFailure != null) {
            failingLine = shapeFailureLine;
            detail = shapeFailure;
        }
        long rootLine = 0;
        byte[] wrongRoot = null;
        if (firstRoot != null && !Sha256.hex(firstRoot).equals(cp.rootHash())) {
            rootLine = firstLine;
            wrongRoot = firstRoot;
        } else if (deviationRoot != null) {
            rootLine = deviationLine;
            wrongRoot = deviationRoot;
        }
        if (wrongRoot != null && rootLine < failingLine) {
            failingLine = rootLine;
            detail = "inclusion proof: calculated root " + Sha256.hex(wrongRoot) + ", expected rootHash "
                    + cp.rootHash() + " of the final checkpoint (line " + line + ")";
        }
        if (detail != null) {
            throw new VerificationException(failingLine, Check.TREE, detail);
        }
    }
}
