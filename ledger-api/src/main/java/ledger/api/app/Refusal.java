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

    /** The database could not be reached: nothing is stored for it, the request may be sent again. */
    public static Refusal databaseUnavailable() {
        return new Refusal(Codes.DATABASE_UNAVAILABLE, "the database cannot be reached at the moment; send the request"
                + " again in a few seconds (with the same idempotency key it is applied at most once)");
    }
}
