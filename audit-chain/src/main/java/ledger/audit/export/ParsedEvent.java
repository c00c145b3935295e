package ledger.audit.export;

import java.util.List;
import ledger.audit.Envelope;
import ledger.audit.Sha256;

/**
 * An event line that passed every check of the reader and of {@link Envelope#parse}, reduced to
 * what the verifier's checks look at: the line's members, the envelope members that link the
 * chain, and {@code canonicalEnvelope} = UTF-8 of JCS(envelope), whose SHA-256 is the event's hash.
 * Made either by {@link ExportReader#scanEvent()} straight from the line bytes, or by
 * {@link #of} from the parsed JSON; both give equal values for the same line.
 *
 * <p>Hashes are kept as their 32 bytes: the line's hex was checked to be lowercase, so
 * {@link Sha256#hex} of them gives back exactly the text of the line. Do not modify the arrays.
 *
 * @param hash the line's {@code hash}, 32 bytes
 * @param inclusionProof the line's {@code inclusionProof}, 32 bytes each; null when the line has
 *     none (exports from position 0)
 * @param prevHash the envelope's {@code prevHash}, 32 bytes
 */
public record ParsedEvent(long position, byte[] hash, List<byte[]> inclusionProof, String tenant,
        String aggregateType, String aggregateId, long seq, byte[] prevHash, byte[] canonicalEnvelope) {

    public boolean hasInclusionProof() {
        return inclusionProof != null;
    }

    /** The line's {@code hash} as written: lowercase hex. */
    public String hashHex() {
        return Sha256.hex(hash);
    }

    /** The envelope's {@code prevHash} as written: lowercase hex. */
    public String prevHashHex() {
        return Sha256.hex(prevHash);
    }

    /** The same facts from a line parsed as JSON and its envelope parsed strictly. */
    public static ParsedEvent of(EventLine line, Envelope.Parsed envelope) {
        List<byte[]> proof = line.hasInclusionProof()
                ? line.inclusionProof().stream().map(Sha256::unhex).toList() : null;
        return new ParsedEvent(line.position(), Sha256.unhex(line.hash()), proof, envelope.tenant(),
                envelope.aggregateType(), envelope.aggregateId(), envelope.seq(), Sha256.unhex(envelope.prevHash()),
                envelope.canonicalBytes());
    }
}
