package ledger.audit.export;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import ledger.audit.Sha256;
import ledger.audit.Ts6;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.merkle.LeafSource;
import ledger.audit.merkle.ProofGenerator;

/**
 * Produces a whole export from the log: header, the events of positions a..b streamed from
 * {@code events} with inclusion proofs when a &gt; 0, each earlier checkpoint with its consistency
 * proof, and the final checkpoint (whose treeSize must be b + 1).
 *
 * <p>Before writing anything it checks that the final checkpoint's root is the Merkle root of
 * {@code leaves} (one O(n) pass), so it never writes an export its own verifier would reject for
 * the tree. Memory: one event at a time plus the bounded memo of {@link ProofGenerator}.
 */
public final class Exporter {

    /** What to export. */
    public record Request(String ledgerId, String tenant, VerifyingKey publicKey, long fromPosition, long toPosition,
            Instant exportedAt) {
    }

    private final LeafSource leaves;

    /** @param leaves D[i] of the tenant's log, at least up to the final checkpoint's tree size */
    public Exporter(LeafSource leaves) {
        this.leaves = leaves;
    }

    public void export(Writer out, Request request, Iterator<StoredEvent> events, List<SignedCheckpoint> earlier,
            SignedCheckpoint finalCheckpoint) throws IOException {
        long n = request.toPosition() + 1;
        ProofGenerator proofs = new ProofGenerator(leaves);
        String root = Sha256.hex(proofs.root(finalCheckpoint.checkpoint().treeSize()));
        if (finalCheckpoint.checkpoint().treeSize() != n || !root.equals(finalCheckpoint.checkpoint().rootHash())) {
            throw new IllegalArgumentException("final checkpoint (size " + finalCheckpoint.checkpoint().treeSize()
                    + ", root " + finalCheckpoint.checkpoint().rootHash() + ") is not the log at size " + n
                    + " (root " + root + ")");
        }
        ExportWriter writer = new ExportWriter(out);
        writer.header(new ExportHeader(request.ledgerId(), request.tenant(), request.publicKey().base64(),
                request.publicKey().keyId(), request.fromPosition(), request.toPosition(),
                Ts6.format(request.exportedAt())));
        for (long p = request.fromPosition(); p <= request.toPosition(); p++) {
            if (!events.hasNext()) {
                throw new IllegalArgumentException("event source ended before position " + p);
            }
            StoredEvent e = events.next();
            if (e.position() != p || !e.hash().equals(Sha256.hex(leaves.leaf(p)))) {
                throw new IllegalArgumentException("event source and leaf source disagree at position " + p);
            }
            List<String> proof = request.fromPosition() == 0 ? null
                    : proofs.inclusionProof(p, n).stream().map(Sha256::hex).toList();
            writer.event(new EventLine(p, e.hash(), e.envelope(), proof));
        }
        for (SignedCheckpoint c : earlier) {
            long m = c.checkpoint().treeSize();
            List<String> proof = proofs.consistencyProof(m, n).stream().map(Sha256::hex).toList();
            writer.earlierCheckpoint(c, new ConsistencyLine(m, n, proof));
        }
        writer.finalCheckpoint(finalCheckpoint);
    }
}
