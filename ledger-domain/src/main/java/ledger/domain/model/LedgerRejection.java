package ledger.domain.model;

/**
 * A business rejection: the command was understood and refused, and nothing changed. Typed by a
 * {@link RejectionCode} so every API maps it to the same stable code.
 */
public class LedgerRejection extends RuntimeException {
    private final RejectionCode code;

    public LedgerRejection(RejectionCode code, String detail) {
        super(detail, null, false, false); // a rejection is an answer, not a crash: no stack trace
        this.code = code;
    }

    public RejectionCode code() {
        return code;
    }
}
