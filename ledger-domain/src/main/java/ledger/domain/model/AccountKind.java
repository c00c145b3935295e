package ledger.domain.model;

/** The kind of an account decides its normal side: where an increase is recorded. */
public enum AccountKind {
    ASSET(Side.DEBIT),
    EXPENSE(Side.DEBIT),
    LIABILITY(Side.CREDIT),
    EQUITY(Side.CREDIT),
    REVENUE(Side.CREDIT);

    private final Side normalSide;

    AccountKind(Side normalSide) {
        this.normalSide = normalSide;
    }

    public Side normalSide() {
        return normalSide;
    }

    public static AccountKind parse(String text) {
        for (AccountKind kind : values()) {
            if (kind.name().equals(text)) {
                return kind;
            }
        }
        throw new LedgerRejection(RejectionCode.VALIDATION_FAILED,
                "kind must be one of ASSET, LIABILITY, EQUITY, REVENUE, EXPENSE: " + Names.quote(text));
    }
}
