package ledger.audit.verify;

import java.io.IOException;
import java.io.InputStream;
import ledger.audit.checkpoint.Checkpoint;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.export.CheckpointLine;
import ledger.audit.export.ConsistencyLine;
import ledger.audit.export.ExportFormatException;
import ledger.audit.export.ExportHeader;
import ledger.audit.export.ExportLine;
import ledger.audit.export.ExportReader;
import ledger.audit.export.ParsedEvent;

/**
 * Verifies an export against a trusted public key: exactly the six checks of AUDIT-CHAIN.md
 * section 5, in one streaming pass, stopping at the first failure.
 *
 * <p>Each check is made as soon as the lines it needs have been read, in line order: checks 1-3
 * on each event line as it arrives; the signatures of earlier checkpoints on their lines; and,
 * on the last line, check 4 on the final checkpoint, then check 5 (reported on the final
 * checkpoint line, or for a partial export on the first event line whose inclusion proof fails),
 * then check 6 for each earlier checkpoint in order.
 *
 * <p>Event lines in the writer's canonical form are read straight from their bytes
 * ({@link ledger.audit.export.ExportReader#scanEvent}); every other line, valid or not, is parsed
 * as JSON. Both give the checks the same values, so the outcome is the same either way.
 *
 * <p>Memory: one line at a time, the last hash and seq of each aggregate, the earlier checkpoints
 * with their proofs, and for an export from position 0 the 32-byte event hashes (see
 * {@link MerkleRootCheck}); a partial export needs O(1) for its proofs ({@link InclusionProofCheck}).
 *
 * <p>Throws only {@link VerificationException} for anything wrong with the export, and
 * {@link IOException} when the stream itself cannot be read.
 */
public final class ExportVerifier {

    private final VerifyingKey trusted;
    /** False only in tests that compare the fast reading of event lines with the full parse. */
    private final boolean scanEvents;

    public ExportVerifier(VerifyingKey trusted) {
        this(trusted, true);
    }

    ExportVerifier(VerifyingKey trusted, boolean scanEvents) {
        this.trusted = trusted;
        this.scanEvents = scanEvents;
    }

    public ExportSummary verify(InputStream in) throws VerificationException, IOException {
        ExportReader reader = new ExportReader(in);

        LineFormatCheck format = LineFormatCheck.start(1, read(reader));
        ExportHeader header = format.header();
        CheckpointSignatureCheck signature = new CheckpointSignatureCheck(trusted);
        signature.header(1, header);
        boolean fromGenesis = header.fromPosition() == 0;
        EventHashCheck hashes = new EventHashCheck();
        AggregateChainCheck chain = new AggregateChainCheck(fromGenesis);
        MerkleRootCheck fullTree = fromGenesis ? new MerkleRootCheck() : null;
        InclusionProofCheck inclusion = fromGenesis ? null : new InclusionProofCheck(format.finalTreeSize());
        EarlierCheckpointCheck earlier = new EarlierCheckpointCheck(trusted);

        boolean more = advance(reader);
        while (format.expectsEvent()) {
            long number = reader.lineNumber() + (more ? 0 : 1);
            ParsedEvent event = more && scanEvents ? reader.scanEvent() : null;
            if (event != null) {
                format.event(number, event);
            } else {
                event = format.event(number, more ? current(reader) : null);
            }
            hashes.check(number, event);
            chain.check(number, event);
            if (fromGenesis) {
                fullTree.event(number, event);
            } else {
                inclusion.event(number, event);
            }
            more = advance(reader);
        }
        ExportLine line = more ? current(reader) : null;

        while (true) {
            long checkpointLine = reader.lineNumber() + (line == null ? 1 : 0);
            CheckpointLine checkpoint = format.checkpoint(checkpointLine, line);
            ExportLine next = read(reader);
            long nextLine = reader.lineNumber() + (next == null ? 1 : 0);
            ConsistencyLine consistency = format.afterCheckpoint(nextLine, next, checkpointLine,
                    checkpoint.signed().checkpoint());
            if (consistency == null) {
                return finish(checkpointLine, checkpoint, header, format, signature, fullTree, inclusion, earlier, chain);
            }
            earlier.add(checkpointLine, checkpoint.signed(), nextLine, consistency);
            line = read(reader);
        }
    }

    private static ExportSummary finish(long line, CheckpointLine last, ExportHeader header, LineFormatCheck format,
            CheckpointSignatureCheck signature, MerkleRootCheck fullTree, InclusionProofCheck inclusion,
            EarlierCheckpointCheck earlier, AggregateChainCheck chain) throws VerificationException {
        Checkpoint cp = last.signed().checkpoint();
        signature.finalCheckpoint(line, last.signed());
        if (fullTree != null) {
            fullTree.finalCheckpoint(line, cp, format.finalTreeSize());
        } else {
            inclusion.finalCheckpoint(line, cp, format.finalTreeSize());
        }
        earlier.verify(cp, fullTree);
        return new ExportSummary(header.ledgerId(), header.tenant(), header.fromPosition(), header.toPosition(),
                cp.treeSize(), cp.rootHash(), cp.issuedAt(), cp.keyId(), chain.aggregates(), earlier.count());
    }

    private static ExportLine read(ExportReader reader) throws VerificationException, IOException {
        return advance(reader) ? current(reader) : null;
    }

    private static boolean advance(ExportReader reader) throws VerificationException, IOException {
        try {
            return reader.advance();
        } catch (ExportFormatException e) {
            throw formatFailure(e);
        }
    }

    private static ExportLine current(ExportReader reader) throws VerificationException {
        try {
            return reader.current();
        } catch (ExportFormatException e) {
            throw formatFailure(e);
        }
    }

    private static VerificationException formatFailure(ExportFormatException e) {
        return new VerificationException(e.line(), Check.FORMAT, e.getMessage());
    }
}
