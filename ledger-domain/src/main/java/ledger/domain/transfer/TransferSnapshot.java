package ledger.domain.transfer;

import java.util.List;
import java.util.Map;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.ReversalPosted;
import ledger.domain.event.TransferEvents.TransferReversed;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.Invariants;
import ledger.domain.model.Side;

/**
 * What a transfer is after its events: the answer the APIs render, and the state the
 * {@link Transfer} aggregate decides on. {@link #fold} is the one place that says how each event
 * changes a transfer; reads rebuild a transfer from its events with it too. {@code postedAmount} is
 * what was finally posted of a pending transfer (null while pending or when voided/expired).
 * {@code reversalOf}: the transfer a reversal reverses (null for others); {@code reversals}: the
 * reversals of this transfer, oldest first (docs/reversals.md).
 */
public record TransferSnapshot(String tenant, String transferId, String kind, TransferStatus status,
                               List<Leg> legs, String postedAmount, String expiresAt,
                               Map<String, String> metadata, String createdAt, String reversalOf,
                               List<Reversal> reversals) {
    /** The kind of a reversal (a transfer whose creating event is {@link ReversalPosted}). */
    public static final String KIND_REVERSAL = "reversal";

    /** One reversal of a transfer: its id and amount (null: an entry, reversed in full). */
    public record Reversal(String transferId, String amount) {
    }

    public TransferSnapshot {
        reversals = reversals == null ? List.of() : List.copyOf(reversals);
    }

    /** A transfer that is not a reversal and has none. */
    public TransferSnapshot(String tenant, String transferId, String kind, TransferStatus status, List<Leg> legs,
                            String postedAmount, String expiresAt, Map<String, String> metadata, String createdAt) {
        this(tenant, transferId, kind, status, legs, postedAmount, expiresAt, metadata, createdAt, null, List.of());
    }

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
        if (event instanceof ReversalPosted r) {
            Invariants.check(before == null, "a transfer is created once");
            return new TransferSnapshot(r.tenant(), r.transferId(), KIND_REVERSAL, TransferStatus.POSTED,
                    List.copyOf(r.legs()), null, null, Map.of(), occurredAt, r.reversalOf(), List.of());
        }
        if (event instanceof TransferReversed r) {
            Invariants.check(before != null && before.status() == TransferStatus.POSTED,
                    "only a posted transfer is reversed");
            List<Reversal> reversals = new java.util.ArrayList<>(before.reversals());
            reversals.add(new Reversal(r.reversalId(), r.amount()));
            return new TransferSnapshot(before.tenant(), before.transferId(), before.kind(), before.status(),
                    before.legs(), before.postedAmount(), before.expiresAt(), before.metadata(), before.createdAt(),
                    before.reversalOf(), reversals);
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
        return new TransferSnapshot(tenant, transferId, kind, next, legs, posted, expiresAt, metadata, createdAt,
                reversalOf, reversals);
    }

    /**
     * What this transfer moved, in minor units: a two-leg transfer's amount (a pending one: what was
     * posted of it); 0 when it moved nothing (pending, voided, expired). Not for entries.
     */
    public long movedMinor() {
        if (status != TransferStatus.POSTED) {
            return 0;
        }
        return ledger.domain.money.Money.minorOf(postedAmount != null ? postedAmount : leg(Side.DEBIT).amount());
    }

    /** What the reversals of a two-leg transfer took back so far, in minor units. */
    public long reversedMinor() {
        long total = 0;
        for (Reversal reversal : reversals) {
            if (reversal.amount() != null) {
                total = Math.addExact(total, ledger.domain.money.Money.minorOf(reversal.amount()));
            }
        }
        return total;
    }
}
