package ledger.fx;

/** A refusal the caller can act on (HTTP 409/422 later): nothing was changed. */
public class FxRejection extends RuntimeException {
    private final FxRejectionCode code;

    public FxRejection(FxRejectionCode code, String detail) {
        super(detail, null, false, false); // an answer, not a crash: no stack trace
        this.code = code;
    }

    public FxRejectionCode code() {
        return code;
    }
}
