package ledger.api.app;

/**
 * A refusal decided by the API layer itself (validation, authorisation, idempotency, unknown audit
 * ids), with its stable {@link Codes code}. The domain's refusals are {@code LedgerRejection}s; the
 * transports render both the same way and choose the status from the code.
 */
public class Refusal extends RuntimeException {
    private final String code;

    public Refusal(String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Refusal validation(String detail) {
        return new Refusal(Codes.VALIDATION_FAILED, detail);
    }

    public static Refusal notFound(String code, String detail) {
        return new Refusal(code, detail);
    }
}
