package ledger.reconciliation.matching;

/** Why an item is a break, and at which level. */
public enum BreakReason {
    /** Same reference (or payout), same currency, amounts apart by more than the tolerance. */
    AMOUNT_MISMATCH(Level.L2),
    /** Same reference, different currencies after L1 repair. */
    CURRENCY_MISMATCH(Level.L2),
    /** More than one candidate fits and none is better: never guessed. */
    AMBIGUOUS(Level.L2),
    /** Nothing matched it before its settlement window closed. */
    UNMATCHED_AFTER_SETTLEMENT_WINDOW(Level.L2),
    /** The item is booked on an account the rule set does not know. */
    UNKNOWN_ACCOUNT(Level.L3),
    /** The counterparty is not one the rule set knows. */
    UNKNOWN_COUNTERPARTY(Level.L3),
    /** Not an ISO 4217 currency (nor a configured asset, nor an alias of one). */
    UNKNOWN_CURRENCY(Level.L3);

    private final Level level;

    BreakReason(Level level) {
        this.level = level;
    }

    public Level level() {
        return level;
    }
}
