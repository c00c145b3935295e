package ledger.audit.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import ledger.audit.CanonicalJson;
import ledger.audit.Envelope;
import ledger.audit.NumberRuleException;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.SignedCheckpoint;

/**
 * Writes an export (AUDIT-CHAIN.md section 4) line by line, each line as JCS plus '\n', and
 * refuses (with {@link IllegalStateException}) to write lines out of the order the spec gives:
 * header, events a..b, earlier checkpoints each followed by its consistency line, final
 * checkpoint. Each event's stored hash is checked against its envelope right before it is
 * written. Holds nothing but the next expected position.
 *
 * <p>The {@link Writer} must encode UTF-8; {@link #utf8(OutputStream)} makes one.
 */
public final class ExportWriter {

    private enum State { HEADER, EVENTS, CHECKPOINTS, DONE }

    private final Writer out;
    private State state = State.HEADER;
    private ExportHeader header;
    private long nextPosition;

    public ExportWriter(Writer out) {
        this.out = out;
    }

    public static Writer utf8(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    public void header(ExportHeader header) throws IOException {
        expect(State.HEADER, "header");
        if (header.toPosition() < header.fromPosition()) {
            throw new IllegalArgumentException("toPosition before fromPosition");
        }
        this.header = header;
        nextPosition = header.fromPosition();
        write(header);
        state = State.EVENTS;
    }

    public void event(EventLine event) throws IOException {
        expect(State.EVENTS, "event");
        event(event.position(), event.hash(), canonicalEnvelope(event), event.inclusionProof());
    }

    /**
     * The event line of an envelope held as the record, whose JCS is written straight from its
     * members ({@link Envelope#canonicalString}) rather than from a JSON tree.
     */
    public void event(long position, String hash, Envelope envelope, List<String> inclusionProof) throws IOException {
        expect(State.EVENTS, "event");
        event(position, hash, envelope.canonicalString(), inclusionProof);
    }

    private void event(long position, String hash, String canonicalEnvelope, List<String> inclusionProof)
            throws IOException {
        if (position != nextPosition) {
            throw new IllegalStateException("event position " + position + ", expected " + nextPosition);
        }
        if ((inclusionProof != null) != (header.fromPosition() > 0)) {
            throw new IllegalStateException("event lines carry an inclusion proof exactly when fromPosition > 0");
        }
        String actual = Sha256.hex(Sha256.digest(canonicalEnvelope.getBytes(StandardCharsets.UTF_8)));
        if (!actual.equals(hash)) {
            throw new IllegalStateException("stored hash of position " + position + " is " + hash
                    + " but its envelope hashes to " + actual);
        }
        writeEvent(position, hash, canonicalEnvelope, inclusionProof);
        nextPosition++;
        if (nextPosition > header.toPosition()) {
            state = State.CHECKPOINTS;
        }
    }

    public void earlierCheckpoint(SignedCheckpoint checkpoint, ConsistencyLine consistency) throws IOException {
        expect(State.CHECKPOINTS, "earlier checkpoint");
        if (consistency.fromTreeSize() != checkpoint.checkpoint().treeSize()
                || consistency.toTreeSize() != finalTreeSize()) {
            throw new IllegalStateException("consistency line must go from the checkpoint's tree size to "
                    + finalTreeSize());
        }
        write(new CheckpointLine(checkpoint));
        write(consistency);
    }

    public void finalCheckpoint(SignedCheckpoint checkpoint) throws IOException {
        expect(State.CHECKPOINTS, "final checkpoint");
        if (checkpoint.checkpoint().treeSize() != finalTreeSize()) {
            throw new IllegalStateException("final checkpoint treeSize " + checkpoint.checkpoint().treeSize()
                    + ", expected toPosition + 1 = " + finalTreeSize());
        }
        write(new CheckpointLine(checkpoint));
        out.flush();
        state = State.DONE;
    }

    private long finalTreeSize() {
        return header.toPosition() + 1;
    }

    /** JCS(envelope), which is both what the hash is over and what the line contains. */
    private static String canonicalEnvelope(EventLine event) {
        try {
            return CanonicalJson.canonicalString(event.envelope());
        } catch (NumberRuleException e) {
            throw new IllegalStateException("stored envelope of position " + event.position() + " breaks the "
                    + e.getMessage(), e);
        }
    }

    private void expect(State expected, String what) {
        if (state != expected) {
            throw new IllegalStateException("cannot write " + what + " in state " + state);
        }
    }

    /**
     * Writes JCS of the event line without canonicalizing the envelope a second time. JCS sorts the
     * members: "envelope", "hash", "inclusionProof", "position", "type". The position is below
     * 2^53 (the header's range is), so it prints as a plain integer.
     */
    private void writeEvent(long position, String hash, String canonicalEnvelope, List<String> inclusionProof)
            throws IOException {
        StringBuilder line = new StringBuilder(canonicalEnvelope.length() + 96
                + (inclusionProof == null ? 0 : 67 * inclusionProof.size()));
        line.append("{\"envelope\":").append(canonicalEnvelope).append(",\"hash\":");
        CanonicalJson.appendString(line, hash);
        if (inclusionProof != null) {
            line.append(",\"inclusionProof\":[");
            for (int i = 0; i < inclusionProof.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                CanonicalJson.appendString(line, inclusionProof.get(i));
            }
            line.append(']');
        }
        line.append(",\"position\":").append(position).append(",\"type\":\"").append(EventLine.TYPE).append("\"}\n");
        out.append(line);
    }

    private void write(ExportLine line) throws IOException {
        try {
            out.write(CanonicalJson.canonicalString(line.toJson()));
        } catch (NumberRuleException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        out.write('\n');
    }
}
