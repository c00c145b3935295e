package ledger.domain.transfer;

/** Where a transfer stands. Only PENDING can still change. */
public enum TransferStatus {
    POSTED, PENDING, VOIDED, EXPIRED
}
