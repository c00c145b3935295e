package ledger.reconciliation.matching;

/** Where an item stands. WAITING items are still expected to find their counterpart. */
public enum Status {
    WAITING,
    MATCHED,
    BREAK
}
