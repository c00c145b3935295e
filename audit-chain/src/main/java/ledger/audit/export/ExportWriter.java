package ledger.audit.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import ledger.audit.CanonicalJson;
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
        if (event.position() != nextPosition) {
            throw new IllegalStateException("event position " + event.position() + ", expected " + nextPosition);
        }
        if (event.hasInclusionProof() != (header.fromPosition() > 0)) {
            throw new IllegalStateException("event lines carry an inclusion proof exactly when fromPosition > 0");
        }
        String envelope = canonicalEnvelope(event);
        String actual = Sha256.hex(Sha256.digest(envelope.getBytes(StandardCharsets.UTF_8)));
        if (!actual.equals(event.hash())) {
            throw new IllegalStateException("stored hash of position " + event.position() + " is " + event.hash()
                    + " but its envelope hashes to " + actual);
        }
        writeEvent(event, envelope);
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
     * members, and "envelope" sorts before the others ("hash", "inclusionProof", "position", "type"),
     * so JCS(line) is {@code {"envelope":} JCS(envelope) {@code ,} followed by JCS of the other
     * members without its opening brace.
     */
    private void writeEvent(EventLine event, String canonicalEnvelope) throws IOException {
        ObjectNode others = event.toJson();
        others.remove("envelope");
        String rest;
        try {
            rest = CanonicalJson.canonicalString(others);
        } catch (NumberRuleException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        out.write("{\"envelope\":");
        out.write(canonicalEnvelope);
        out.write(',');
        out.write(rest, 1, rest.length() - 1);
        out.write('\n');
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
