package ledger.reconciliation.matching;

/** Where an item comes from. The order (LEDGER, PROCESSOR, BANK) orients one-to-many versus many-to-one. */
public enum Side {
    LEDGER,
    PROCESSOR,
    BANK
}
