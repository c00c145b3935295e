package ledger.sagas.settlement;

/** Where a settlement stands; the last three are final. */
public enum SettlementStatus {
    PENDING,
    COMPLETED,
    /** Something was reserved or posted and has been undone: the source is as it was. */
    COMPENSATED,
    /** Nothing was posted: the reservation itself was refused (or the quote had expired). */
    FAILED
}
