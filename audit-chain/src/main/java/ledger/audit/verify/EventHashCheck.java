package ledger.audit.verify;

import ledger.audit.CanonicalJson;
import ledger.audit.NumberRuleException;
import ledger.audit.Sha256;
import ledger.audit.export.EventLine;

/** Check 2: {@code hash == hex(SHA-256(JCS(envelope)))}, and the number rule holds. */
final class EventHashCheck {

    private EventHashCheck() {
    }

    static void check(long line, EventLine event) throws VerificationException {
        byte[] canonical;
        try {
            canonical = CanonicalJson.canonicalize(event.envelope());
        } catch (NumberRuleException e) {
            throw numberRuleBroken(line, e);
        }
        String actual = Sha256.hex(Sha256.digest(canonical));
        if (!actual.equals(event.hash())) {
            throw new VerificationException(line, Check.HASH, "hash: line says " + event.hash()
                    + ", SHA-256 of JCS(envelope) is " + actual);
        }
    }

    static VerificationException numberRuleBroken(long line, NumberRuleException e) {
        return new VerificationException(line, Check.HASH, "envelope " + e.getMessage());
    }
}
