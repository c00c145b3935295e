package ledger.domain.transfer;

import java.time.Instant;
import ledger.audit.Ts6;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.ReversalPosted;
import ledger.domain.event.TransferEvents.TransferReversed;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.Invariants;
import ledger.domain.model.Side;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.SealedAggregate;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;

/**
 * A transfer or journal entry: one event per change, naming every account it moves, so the
 * accounts' balances follow from transfer events alone. It remembers what was moved (for duplicate
 * ids, reads and the audit trail) and, while pending, decides whether it may still be posted,
 * voided or expired. The {@code LedgerCommandHandler} checks the accounts against the book and
 * records their new states beside each event.
 */
@AggregateRoot(type = AggregateIds.TRANSFER_TYPE)
public class Transfer extends SealedAggregate {
    public static final String KIND_TRANSFER = "transfer";
    public static final String KIND_ENTRY = "entry";

    @AggregateIdentifier
    private String aggregateId;
    private TransferSnapshot state;
    /** occurredAt (ts6) of the last event applied. */
    private String lastOccurredAt;

    protected Transfer() {
        // for Axon
    }

    /** A transfer or entry posted at once. */
    Transfer(String aggregateId, TransferPosted posted) {
        applySealed(posted.tenant(), aggregateId, posted);
    }

    /** A pending transfer, reserving its amount. */
    Transfer(String aggregateId, TransferPending pending) {
        applySealed(pending.tenant(), aggregateId, pending);
    }

    /** A reversal of another transfer (docs/reversals.md). */
    Transfer(String aggregateId, ReversalPosted reversal) {
        applySealed(reversal.tenant(), aggregateId, reversal);
    }

    @Override
    protected String aggregateType() {
        return AggregateIds.TRANSFER_TYPE;
    }

    public TransferStatus status() {
        return state.status();
    }

    public boolean isExpiredAt(Instant now) {
        return state.expiresAt() != null && !now.isBefore(Ts6.parse(state.expiresAt()));
    }

    public Leg leg(Side side) {
        return state.leg(side);
    }

    /** When the last event of this transfer occurred: the instant its accounts' changes are recorded at. */
    public Instant lastOccurredAt() {
        return Ts6.parse(lastOccurredAt);
    }

    public void markPosted(String reserved, String posted, String currency) {
        Invariants.check(state.status() == TransferStatus.PENDING, "only a pending transfer is posted");
        applySealed(state.tenant(), aggregateId, new PendingTransferPosted(state.tenant(), state.transferId(),
                leg(Side.DEBIT).accountId(), leg(Side.CREDIT).accountId(), reserved, posted, currency));
    }

    public void markVoided() {
        Invariants.check(state.status() == TransferStatus.PENDING, "only a pending transfer is voided");
        Leg debit = leg(Side.DEBIT);
        applySealed(state.tenant(), aggregateId, new PendingTransferVoided(state.tenant(), state.transferId(),
                debit.accountId(), leg(Side.CREDIT).accountId(), debit.amount(), debit.currency()));
    }

    public void markExpired() {
        Invariants.check(state.status() == TransferStatus.PENDING, "only a pending transfer expires");
        Leg debit = leg(Side.DEBIT);
        applySealed(state.tenant(), aggregateId, new PendingTransferExpired(state.tenant(), state.transferId(),
                debit.accountId(), leg(Side.CREDIT).accountId(), debit.amount(), debit.currency()));
    }

    /**
     * Records that {@code reversalId} reversed {@code amount} (null: an entry, in full) of this transfer.
     * The handler decided it may; asserted again here against this transfer's own state.
     */
    public void markReversed(String reversalId, String amount, String currency) {
        Invariants.check(state.status() == TransferStatus.POSTED && state.reversalOf() == null,
                "only a posted transfer that is not a reversal is reversed");
        Invariants.check(amount == null ? state.reversals().isEmpty()
                        : Math.addExact(state.reversedMinor(), ledger.domain.money.Money.minorOf(amount))
                        <= state.movedMinor(),
                "a transfer is never reversed for more than it moved");
        applySealed(state.tenant(), aggregateId, new TransferReversed(state.tenant(), state.transferId(), reversalId,
                amount, currency));
    }

    public TransferSnapshot snapshot() {
        return state;
    }

    /** The pending transfer's time is up: release it, unless it was posted or voided meanwhile. */
    @DeadlineHandler(deadlineName = LedgerCommandHandler.EXPIRY_DEADLINE)
    void on(PendingExpiryDue due, LedgerCommandHandler ledger) {
        if (state.status() == TransferStatus.PENDING) {
            ledger.expire(state.tenant(), state.transferId());
        }
    }

    // ---- state changes: only here, through TransferSnapshot.fold ----

    @EventSourcingHandler
    void on(TransferPosted event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        created(event.tenant(), event.transferId());
        changed(event, hash, occurredAt);
    }

    @EventSourcingHandler
    void on(TransferPending event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        created(event.tenant(), event.transferId());
        changed(event, hash, occurredAt);
    }

    @EventSourcingHandler
    void on(ReversalPosted event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        created(event.tenant(), event.transferId());
        changed(event, hash, occurredAt);
    }

    @EventSourcingHandler
    void on(TransferReversed event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        changed(event, hash, occurredAt);
    }

    @EventSourcingHandler
    void on(PendingTransferPosted event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        changed(event, hash, occurredAt);
    }

    @EventSourcingHandler
    void on(PendingTransferVoided event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        changed(event, hash, occurredAt);
    }

    @EventSourcingHandler
    void on(PendingTransferExpired event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        changed(event, hash, occurredAt);
    }

    private void created(String tenant, String transferId) {
        aggregateId = AggregateIds.transfer(ledger.domain.model.TenantId.of(tenant),
                ledger.domain.model.TransferId.of(transferId));
    }

    private void changed(Object event, String hash, String occurredAt) {
        state = TransferSnapshot.fold(state, event, occurredAt);
        lastOccurredAt = occurredAt;
        chained(hash);
    }
}
