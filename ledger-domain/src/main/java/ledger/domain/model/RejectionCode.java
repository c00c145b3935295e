package ledger.domain.model;

/**
 * Stable machine codes for business rejections. They are part of the public API (REST problem
 * details and gRPC ErrorInfo reasons): never rename one.
 */
public enum RejectionCode {
    INSUFFICIENT_FUNDS("insufficient_funds"),
    CURRENCY_MISMATCH("currency_mismatch"),
    ACCOUNT_NOT_FOUND("account_not_found"),
    ACCOUNT_FROZEN("account_frozen"),
    ACCOUNT_CLOSED("account_closed"),
    ACCOUNT_NOT_EMPTY("account_not_empty"),
    AMOUNT_INVALID("amount_invalid"),
    UNBALANCED_ENTRY("unbalanced_entry"),
    UNKNOWN_CURRENCY("unknown_currency"),
    DUPLICATE_ID("duplicate_id"),
    TRANSFER_NOT_FOUND("transfer_not_found"),
    TRANSFER_NOT_PENDING("transfer_not_pending"),
    TRANSFER_EXPIRED("transfer_expired"),
    /**
     * A reversal of a transfer that moved nothing that can be reversed: pending (void it instead),
     * voided or expired, a reversal itself, or one reversed in full already (docs/reversals.md).
     */
    TRANSFER_NOT_REVERSIBLE("transfer_not_reversible"),
    /**
     * A new overdraft limit the account's available balance already passes (lowering a limit below the
     * overdraft in use): bring the balance within it first (docs/listing.md, PATCH /v1/accounts/{id}).
     */
    LIMIT_BELOW_BALANCE("limit_below_balance"),
    VALIDATION_FAILED("validation_failed");

    private final String code;

    RejectionCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
