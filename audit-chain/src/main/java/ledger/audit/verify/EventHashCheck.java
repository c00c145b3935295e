package ledger.audit.verify;

import ledger.audit.NumberRuleException;
import ledger.audit.Sha256;
import ledger.audit.export.EventLine;

/** Check 2: {@code hash == hex(SHA-256(JCS(envelope)))}, and the number rule holds. */
final class EventHashCheck {

    private EventHashCheck() {
    }

    /**
     * @param canonical UTF-8 of JCS(envelope), computed (and the number rule checked) when the
     *     envelope was parsed, see {@link ledger.audit.Envelope#parse}
     */
    static void check(long line, EventLine event, byte[] canonical) throws VerificationException {
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
