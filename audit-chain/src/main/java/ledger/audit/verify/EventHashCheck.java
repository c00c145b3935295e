package ledger.audit.verify;

import java.security.MessageDigest;
import java.util.Arrays;
import ledger.audit.NumberRuleException;
import ledger.audit.Sha256;
import ledger.audit.export.ParsedEvent;

/** Check 2: {@code hash == hex(SHA-256(JCS(envelope)))}, and the number rule holds. */
final class EventHashCheck {

    /** Reused for every event: one verification runs on one thread. */
    private final MessageDigest sha256 = Sha256.newDigest();

    /**
     * {@code event.canonicalEnvelope()} is UTF-8 of JCS(envelope), computed (and the number rule
     * checked) when the envelope was parsed or scanned, see {@link ledger.audit.Envelope#parse}.
     */
    void check(long line, ParsedEvent event) throws VerificationException {
        byte[] actual = sha256.digest(event.canonicalEnvelope());
        if (!Arrays.equals(actual, event.hash())) {
            throw new VerificationException(line, Check.HASH, "hash: line says " + event.hashHex()
                    + ", SHA-256 of JCS(envelope) is " + Sha256.hex(actual));
        }
    }

    static VerificationException numberRuleBroken(long line, NumberRuleException e) {
        return new VerificationException(line, Check.HASH, "envelope " + e.getMessage());
    }
}
