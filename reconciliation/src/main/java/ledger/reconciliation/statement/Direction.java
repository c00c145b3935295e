package ledger.reconciliation.statement;

/** Which way money moved, seen from the account holder: CREDIT is money in, DEBIT money out. */
public enum Direction {
    CREDIT,
    DEBIT;

    /** +1 for money in, -1 for money out. */
    public int sign() {
        return this == CREDIT ? 1 : -1;
    }
}
