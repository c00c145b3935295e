package ledger.domain.transfer;

import java.util.List;
import java.util.Map;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.Invariants;
import ledger.domain.model.Side;

/**
 * What a transfer is after its events: the answer the APIs render, and the state the
 * {@link Transfer} aggregate decides on. {@link #fold} is the one place that says how each event
 * changes a transfer; reads rebuild a transfer from its events with it too. {@code postedAmount} is
 * what was finally posted of a pending transfer (null while pending or when voided/expired).
 */
public record TransferSnapshot(String tenant, String transferId, String kind, TransferStatus status,
                               List<Leg> legs, String postedAmount, String expiresAt,
                               Map<String, String> metadata, String createdAt) {

    /** The transfer after {@code event} (which occurred at {@code occurredAt}, ts6); {@code before} null: its first. */
    public static TransferSnapshot fold(TransferSnapshot before, Object event, String occurredAt) {
        if (event instanceof TransferPosted p) {
            Invariants.check(before == null, "a transfer is created once");
            return new TransferSnapshot(p.tenant(), p.transferId(), p.kind(), TransferStatus.POSTED,
                    List.copyOf(p.legs()), null, null, Map.copyOf(p.metadata()), occurredAt);
        }
        if (event instanceof TransferPending p) {
            Invariants.check(before == null, "a transfer is created once");
            List<Leg> legs = List.of(new Leg(p.debitAccount(), Side.DEBIT.wire(), p.amount(), p.currency()),
                    new Leg(p.creditAccount(), Side.CREDIT.wire(), p.amount(), p.currency()));
            return new TransferSnapshot(p.tenant(), p.transferId(), Transfer.KIND_TRANSFER, TransferStatus.PENDING,
                    legs, null, p.expiresAt(), Map.copyOf(p.metadata()), occurredAt);
        }
        Invariants.check(before != null && before.status() == TransferStatus.PENDING,
                "only a pending transfer changes after it is created");
        if (event instanceof PendingTransferPosted p) {
            return before.with(TransferStatus.POSTED, p.amount());
        }
        if (event instanceof PendingTransferVoided) {
            return before.with(TransferStatus.VOIDED, null);
        }
        if (event instanceof PendingTransferExpired) {
            return before.with(TransferStatus.EXPIRED, null);
        }
        throw new IllegalArgumentException("not a transfer event: " + event.getClass().getName());
    }

    /** The leg on {@code side} of a two-leg transfer. */
    public Leg leg(Side side) {
        return legs.stream().filter(l -> l.side().equals(side.wire())).findFirst()
                .orElseThrow(() -> new IllegalStateException("transfer " + transferId + " has no " + side + " leg"));
    }

    private TransferSnapshot with(TransferStatus next, String posted) {
        return new TransferSnapshot(tenant, transferId, kind, next, legs, posted, expiresAt, metadata, createdAt);
    }
}
