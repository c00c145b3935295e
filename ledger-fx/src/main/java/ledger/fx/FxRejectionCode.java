package ledger.fx;

/**
 * Stable machine codes for refusals of the FX library, in the style of the domain's
 * {@code RejectionCode} (the shared ones carry the same text). Never rename one.
 */
public enum FxRejectionCode {
    RATE_UNAVAILABLE("rate_unavailable"),
    QUOTE_NOT_FOUND("quote_not_found"),
    QUOTE_EXPIRED("quote_expired"),
    QUOTE_BOOK_FULL("quote_book_full"),
    CURRENCY_MISMATCH("currency_mismatch"),
    AMOUNT_INVALID("amount_invalid");

    private final String code;

    FxRejectionCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
