package ledger.domain.transfer;

/** Payload of the deadline that expires a pending transfer. */
public record PendingExpiryDue(String tenant, String transferId) {
}
