package ledger.domain.transfer;

import java.util.List;
import java.util.Map;
import ledger.domain.event.TransferEvents.Leg;

/**
 * What a transfer is after a command: the answer the APIs render. {@code postedAmount} is what
 * was finally posted of a pending transfer (null while pending or when voided/expired).
 */
public record TransferSnapshot(String tenant, String transferId, String kind, TransferStatus status,
                               List<Leg> legs, String postedAmount, String expiresAt,
                               Map<String, String> metadata, String createdAt) {
}
