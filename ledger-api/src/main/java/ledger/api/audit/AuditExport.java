package ledger.api.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import ledger.api.app.Refusal;
import ledger.audit.Sha256;
import ledger.audit.Ts6;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.export.ConsistencyLine;
import ledger.audit.export.ExportHeader;
import ledger.audit.export.ExportWriter;
import ledger.audit.merkle.CompactRange;
import ledger.audit.merkle.InclusionProofVerifier;
import ledger.audit.merkle.MerkleProofException;
import ledger.projections.audit.AuditExportReader;
import ledger.projections.audit.AuditExportReader.EventCursor;
import ledger.projections.audit.AuditExportReader.LoggedEvent;
import ledger.projections.audit.AuditExportReader.LoggedRow;
import ledger.projections.audit.InclusionPaths;
import ledger.projections.audit.MerkleNodeStore;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a tenant's export (AUDIT-CHAIN.md section 4) with audit-chain's {@link ExportWriter}:
 * events streamed through a server-side cursor inside one read-only transaction (on a reading
 * thread of its own, see {@link #write}), inclusion
 * proofs from the stored Merkle nodes, and before each line leaves, the check the verifier will
 * make: every inclusion proof against the final root, for a full export the Merkle root over the
 * streamed hashes, and every consistency proof. Memory stays bounded whatever the range.
 */
public class AuditExport implements AutoCloseable {
    /** The final checkpoint and the earlier ones an export carries, fixed before streaming starts. */
    public record Plan(String tenant, long from, long to, SignedCheckpoint finalCheckpoint,
                       List<SignedCheckpoint> earlier) {
        public long treeSize() {
            return to + 1;
        }
    }

    private final CheckpointService checkpoints;
    private final AuditExportReader reader;
    private final MerkleNodeStore nodes;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private final ExecutorService readers;

    /** Rows per chunk handed from the reading thread to the writing one. */
    static final int CHUNK_ROWS = 256;
    /** Chunks the reading thread may be ahead. */
    static final int CHUNKS_AHEAD = 8;

    /** @param readers runs each export's reading side, one task per export for its whole length; closed with this */
    public AuditExport(CheckpointService checkpoints, AuditExportReader reader, MerkleNodeStore nodes,
                       TransactionTemplate readOnly, Clock clock, ExecutorService readers) {
        if (!readOnly.isReadOnly()) {
            throw new IllegalArgumentException("exports read in a read-only transaction");
        }
        this.checkpoints = checkpoints;
        this.reader = reader;
        this.nodes = nodes;
        this.readOnly = readOnly;
        this.clock = clock;
        this.readers = readers;
    }

    /**
     * Checks the range and fixes its checkpoints: without {@code to}, the log's end (a checkpoint
     * issued or reused); with {@code to}, the checkpoint of size {@code to + 1} (issued if missing).
     */
    public Plan plan(String tenant, Long from, Long to) {
        long a = from == null ? 0 : from;
        if (a < 0) {
            throw Refusal.validation("from must be a position >= 0, got " + a);
        }
        if (to != null && to < a) {
            throw Refusal.validation("to (" + to + ") must not be before from (" + a + ")");
        }
        long size = checkpoints.logSize(tenant);
        if (size == 0) {
            throw CheckpointService.emptyLog(tenant);
        }
        if (a >= size) {
            throw Refusal.validation("from (" + a + ") is past the end of the audit log (last position "
                    + (size - 1) + ")");
        }
        if (to != null && to >= size) {
            throw Refusal.validation("to (" + to + ") is past the end of the audit log (last position "
                    + (size - 1) + ")");
        }
        SignedCheckpoint last = to == null ? checkpoints.atLogEnd(tenant).signed()
                : checkpoints.atSize(tenant, to + 1).signed();
        long b = last.checkpoint().treeSize() - 1;
        if (a > b) {
            throw Refusal.validation("from (" + a + ") is past the end of the audit log (last position " + b + ")");
        }
        return new Plan(tenant, a, b, last, checkpoints.earlier(tenant, a, b + 1));
    }

    /**
     * Streams the planned export to {@code out}; on any failure the export stops short (unverifiable).
     * The log is read on a second thread, inside the read-only transaction and a chunk ahead of this
     * one, which rebuilds, checks and writes: reading waits on PostgreSQL about as long as the
     * rest takes, so the two overlap. Memory: at most {@link #CHUNKS_AHEAD} chunks of rows.
     */
    public void write(Plan plan, OutputStream out) {
        BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
        Future<?> reading = readers.submit(() -> read(plan, chunks));
        try {
            writeExport(plan, out, chunks);
        } catch (IOException e) {
            throw new ExportAborted(e);
        } finally {
            reading.cancel(true); // done by now, unless this side failed: then the read stops and rolls back
        }
    }

    /** Rows read ahead, with their inclusion proofs when the export has them; or why reading failed. */
    private record Chunk(List<LoggedRow> rows, List<List<byte[]>> proofs, Throwable failure) {
    }

    private void read(Plan plan, BlockingQueue<Chunk> chunks) {
        try {
            readOnly.executeWithoutResult(status -> readInTransaction(plan, chunks));
        } catch (RuntimeException | Error e) {
            if (!Thread.currentThread().isInterrupted()) {
                handOver(chunks, new Chunk(List.of(), null, e));
            }
        }
    }

    private void readInTransaction(Plan plan, BlockingQueue<Chunk> chunks) {
        InclusionPaths paths = plan.from() > 0 ? new InclusionPaths(nodes, plan.tenant(), plan.treeSize()) : null;
        try (EventCursor rows = reader.open(plan.tenant(), plan.from(), plan.to())) {
            List<LoggedRow> chunk = new ArrayList<>(CHUNK_ROWS);
            List<List<byte[]>> proofs = paths == null ? null : new ArrayList<>(CHUNK_ROWS);
            for (long p = plan.from(); p <= plan.to(); p++) {
                if (!rows.hasNext()) {
                    throw new IllegalStateException("the log of " + plan.tenant() + " ends before position " + p);
                }
                chunk.add(rows.next());
                if (paths != null) {
                    proofs.add(paths.proof(p));
                }
                if (chunk.size() == CHUNK_ROWS || p == plan.to()) {
                    handOver(chunks, new Chunk(chunk, proofs, null));
                    chunk = new ArrayList<>(CHUNK_ROWS);
                    proofs = paths == null ? null : new ArrayList<>(CHUNK_ROWS);
                }
            }
        }
    }

    private static void handOver(BlockingQueue<Chunk> chunks, Chunk chunk) {
        try {
            chunks.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("export reading stopped: the writing side gave up", e);
        }
    }

    private void writeExport(Plan plan, OutputStream out, BlockingQueue<Chunk> chunks) throws IOException {
        VerifyingKey key = checkpoints.publicKey();
        long n = plan.treeSize();
        byte[] root = plan.finalCheckpoint().checkpoint().rootHashBytes();
        Writer utf8 = ExportWriter.utf8(out);
        ExportWriter writer = new ExportWriter(utf8);
        writer.header(new ExportHeader(checkpoints.ledgerId(), plan.tenant(), key.base64(), key.keyId(), plan.from(),
                plan.to(), Ts6.format(clock.instant())));
        CompactRange fullTree = plan.from() == 0 ? new CompactRange() : null;
        long p = plan.from();
        while (p <= plan.to()) {
            Chunk chunk = take(chunks);
            if (chunk.failure() instanceof Error e) {
                throw e;
            } else if (chunk.failure() != null) {
                throw (RuntimeException) chunk.failure();
            }
            for (int i = 0; i < chunk.rows().size(); i++, p++) {
                LoggedEvent e = AuditExportReader.rebuild(plan.tenant(), chunk.rows().get(i));
                byte[] leaf = Sha256.unhex(e.hash());
                List<String> proof = null;
                if (fullTree == null) {
                    proof = checkedInclusion(p, n, leaf, chunk.proofs().get(i), root);
                } else {
                    fullTree.append(leaf);
                }
                writer.event(p, e.hash(), e.envelope(), proof);
            }
        }
        if (fullTree != null && !java.util.Arrays.equals(fullTree.root(), root)) {
            throw new IllegalStateException("the exported events of " + plan.tenant() + " have root "
                    + Sha256.hex(fullTree.root()) + ", the final checkpoint says " + Sha256.hex(root));
        }
        for (SignedCheckpoint c : plan.earlier()) {
            List<byte[]> proof = checkpoints.consistencyProof(plan.tenant(), c, plan.finalCheckpoint());
            writer.earlierCheckpoint(c, new ConsistencyLine(c.checkpoint().treeSize(), n, hex(proof)));
        }
        writer.finalCheckpoint(plan.finalCheckpoint());
        utf8.flush();
    }

    private static Chunk take(BlockingQueue<Chunk> chunks) {
        try {
            return chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("export interrupted", e);
        }
    }

    private static List<String> checkedInclusion(long position, long n, byte[] leaf, List<byte[]> path, byte[] root) {
        try {
            InclusionProofVerifier.verify(position, n, leaf, path, root);
        } catch (MerkleProofException e) {
            throw new IllegalStateException("stored Merkle nodes disagree with the final checkpoint: "
                    + e.getMessage(), e);
        }
        return hex(path);
    }

    private static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            out.add(Sha256.hex(h));
        }
        return out;
    }

    /** Stops the reading threads (at shutdown; a running export then fails). */
    @Override
    public void close() {
        readers.shutdownNow();
    }

    /** The client went away or the connection broke mid-export. */
    static final class ExportAborted extends RuntimeException {
        ExportAborted(IOException cause) {
            super("export aborted: " + cause.getMessage(), cause);
        }
    }
}
