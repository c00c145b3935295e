package ledger.audit.export;

import java.util.List;
import ledger.audit.Envelope;

/**
 * An event line that passed every check of the reader and of {@link Envelope#parse}, reduced to
 * what the verifier's checks look at: the line's members, the envelope members that link the
 * chain, and {@code canonicalEnvelope} = UTF-8 of JCS(envelope), whose SHA-256 is the event's hash.
 * Made either by {@link ExportReader#scanEvent()} straight from the line bytes, or by
 * {@link #of} from the parsed JSON; both give equal values for the same line.
 *
 * @param inclusionProof null when the line has none (exports from position 0)
 */
public record ParsedEvent(long position, String hash, List<String> inclusionProof, String tenant,
        String aggregateType, String aggregateId, long seq, String prevHash, byte[] canonicalEnvelope) {

    public boolean hasInclusionProof() {
        return inclusionProof != null;
    }

    /** The same facts from a line parsed as JSON and its envelope parsed strictly. */
    public static ParsedEvent of(EventLine line, Envelope.Parsed envelope) {
        return new ParsedEvent(line.position(), line.hash(), line.inclusionProof(), envelope.tenant(),
                envelope.aggregateType(), envelope.aggregateId(), envelope.seq(), envelope.prevHash(),
                envelope.canonicalBytes());
    }
}
