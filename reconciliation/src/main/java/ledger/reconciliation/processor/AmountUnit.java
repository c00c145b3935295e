package ledger.reconciliation.processor;

/** How a report writes amounts: {@code 10.50} (MAJOR) or {@code 1050} minor units (MINOR). */
public enum AmountUnit {
    MAJOR,
    MINOR
}
