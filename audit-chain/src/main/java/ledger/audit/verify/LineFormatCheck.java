package ledger.audit.verify;

import ledger.audit.Envelope;
import ledger.audit.EnvelopeFormatException;
import ledger.audit.NumberRuleException;
import ledger.audit.checkpoint.Checkpoint;
import ledger.audit.export.CheckpointLine;
import ledger.audit.export.ConsistencyLine;
import ledger.audit.export.EventLine;
import ledger.audit.export.ExportHeader;
import ledger.audit.export.ExportLine;
import ledger.audit.export.ExportReader;
import ledger.audit.export.ParsedEvent;

/**
 * Check 1: the lines come in the order of section 4, with the members it lists (the reader
 * checks members and types of each line, this class the envelope's and the order); positions
 * run from a to b without gap; event lines carry an inclusion proof exactly when a &gt; 0; the
 * envelopes and checkpoints belong to the header's tenant and ledger; a consistency line follows
 * its checkpoint and reaches the final tree size b + 1.
 */
final class LineFormatCheck {

    private final ExportHeader header;
    private long nextPosition;

    private LineFormatCheck(ExportHeader header) {
        this.header = header;
        this.nextPosition = header.fromPosition();
    }

    /** The first line must be the header. */
    static LineFormatCheck start(long line, ExportLine first) throws VerificationException {
        if (first == null) {
            throw fail(line, "end of export: expected the header line, the export is empty");
        }
        if (!(first instanceof ExportHeader header)) {
            throw fail(line, "expected the header line, got a " + kind(first) + " line");
        }
        return new LineFormatCheck(header);
    }

    ExportHeader header() {
        return header;
    }

    boolean expectsEvent() {
        return nextPosition <= header.toPosition();
    }

    long finalTreeSize() {
        return header.toPosition() + 1;
    }

    /**
     * An event line at the place of position {@code nextPosition}, parsed as JSON; returns what the
     * other checks need, its envelope's canonical bytes included.
     */
    ParsedEvent event(long line, ExportLine l) throws VerificationException {
        if (!(l instanceof EventLine e)) {
            throw fail(line, (l == null ? "end of export" : "a " + kind(l) + " line") + ": expected the event line of "
                    + "position " + nextPosition + " (positions " + header.fromPosition() + ".." + header.toPosition()
                    + ")");
        }
        positionAndProof(line, e.position(), e.hasInclusionProof());
        Envelope.Parsed parsed;
        try {
            parsed = Envelope.parse(e.envelope());
        } catch (EnvelopeFormatException x) {
            throw fail(line, x.getMessage());
        } catch (NumberRuleException x) {
            throw EventHashCheck.numberRuleBroken(line, x);
        }
        tenant(line, parsed.tenant());
        nextPosition++;
        return ParsedEvent.of(e, parsed);
    }

    /**
     * An event line at the place of position {@code nextPosition} that {@link ExportReader#scanEvent}
     * read: its members and envelope are already known to be well formed, the rest is checked as above.
     */
    ParsedEvent event(long line, ParsedEvent e) throws VerificationException {
        positionAndProof(line, e.position(), e.hasInclusionProof());
        tenant(line, e.tenant());
        nextPosition++;
        return e;
    }

    private void positionAndProof(long line, long position, boolean hasInclusionProof) throws VerificationException {
        if (position != nextPosition) {
            throw fail(line, "position: expected " + nextPosition + ", actual " + position);
        }
        boolean proofExpected = header.fromPosition() > 0;
        if (hasInclusionProof != proofExpected) {
            throw fail(line, proofExpected ? "lacks \"inclusionProof\" (required when fromPosition > 0)"
                    : "has \"inclusionProof\" (only allowed when fromPosition > 0)");
        }
    }

    private void tenant(long line, String tenant) throws VerificationException {
        if (!tenant.equals(header.tenant())) {
            throw fail(line, "envelope tenant: expected \"" + header.tenant() + "\" (the header's), actual \""
                    + tenant + "\"");
        }
    }

    /** A checkpoint line (or the end of the export, when {@code l} is null) after the events. */
    CheckpointLine checkpoint(long line, ExportLine l) throws VerificationException {
        if (l == null) {
            throw fail(line, "end of export: expected a checkpoint line; the final checkpoint is missing");
        }
        if (!(l instanceof CheckpointLine c)) {
            throw fail(line, "expected a checkpoint line, got a " + kind(l) + " line");
        }
        Checkpoint cp = c.signed().checkpoint();
        if (!cp.tenant().equals(header.tenant()) || !cp.ledgerId().equals(header.ledgerId())) {
            throw fail(line, "checkpoint ledgerId/tenant: expected \"" + header.ledgerId() + "\"/\"" + header.tenant()
                    + "\" (the header's), actual \"" + cp.ledgerId() + "\"/\"" + cp.tenant() + "\"");
        }
        return c;
    }

    /** What follows a checkpoint line: its consistency line, or null when the checkpoint was the last line. */
    ConsistencyLine afterCheckpoint(long line, ExportLine l, long checkpointLine, Checkpoint cp)
            throws VerificationException {
        if (l == null) {
            return null;
        }
        if (!(l instanceof ConsistencyLine c)) {
            throw fail(line, "expected the consistency line of the checkpoint on line " + checkpointLine
                    + " or the end of the export, got a " + kind(l) + " line");
        }
        if (c.fromTreeSize() != cp.treeSize()) {
            throw fail(line, "fromTreeSize: expected " + cp.treeSize() + " (the checkpoint's), actual "
                    + c.fromTreeSize());
        }
        if (c.toTreeSize() != finalTreeSize()) {
            throw fail(line, "toTreeSize: expected " + finalTreeSize() + " (toPosition + 1), actual " + c.toTreeSize());
        }
        return c;
    }

    static VerificationException fail(long line, String detail) {
        return new VerificationException(line, Check.FORMAT, detail);
    }

    private static String kind(ExportLine l) {
        if (l instanceof ExportHeader) {
            return "header";
        }
        if (l instanceof EventLine) {
            return "event";
        }
        return l instanceof CheckpointLine ? "checkpoint" : "consistency";
    }
}
