package ledger.domain.transfer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import ledger.audit.Ts6;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
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
 * A transfer or journal entry. It remembers what was moved (for reads, duplicate ids and the
 * audit trail) and, for a pending transfer, decides whether it may still be posted or voided.
 * The accounts it touches are changed alongside it by {@code LedgerCommandHandler}.
 */
@AggregateRoot(type = AggregateIds.TRANSFER_TYPE)
public class Transfer extends SealedAggregate {
    public static final String KIND_TRANSFER = "transfer";
    public static final String KIND_ENTRY = "entry";

    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String transferId;
    private String kind;
    private TransferStatus status;
    private List<Leg> legs;
    private String postedAmount;
    private String expiresAt;
    private Map<String, String> metadata;
    private String createdAt;

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

    @Override
    protected String aggregateType() {
        return AggregateIds.TRANSFER_TYPE;
    }

    public TransferStatus status() {
        return status;
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(Ts6.parse(expiresAt));
    }

    /** The debit leg of a (two-leg) transfer. */
    public Leg leg(Side side) {
        return legs.stream().filter(l -> l.side().equals(side.wire())).findFirst()
                .orElseThrow(() -> new IllegalStateException("transfer " + transferId + " has no " + side + " leg"));
    }

    public void markPosted(String amount, String currency) {
        Invariants.check(status == TransferStatus.PENDING, "only a pending transfer is posted");
        applySealed(tenant, aggregateId, new PendingTransferPosted(tenant, transferId, amount, currency));
    }

    public void markVoided() {
        Invariants.check(status == TransferStatus.PENDING, "only a pending transfer is voided");
        applySealed(tenant, aggregateId, new PendingTransferVoided(tenant, transferId));
    }

    public void markExpired() {
        Invariants.check(status == TransferStatus.PENDING, "only a pending transfer expires");
        applySealed(tenant, aggregateId, new PendingTransferExpired(tenant, transferId));
    }

    public TransferSnapshot snapshot() {
        return new TransferSnapshot(tenant, transferId, kind, status, legs, postedAmount, expiresAt, metadata,
                createdAt);
    }

    /** The pending transfer's time is up: release it, unless it was posted or voided meanwhile. */
    @DeadlineHandler(deadlineName = LedgerCommandHandler.EXPIRY_DEADLINE)
    void on(PendingExpiryDue due, LedgerCommandHandler ledger) {
        if (status == TransferStatus.PENDING) {
            ledger.expire(tenant, transferId);
        }
    }

    @EventSourcingHandler
    void on(TransferPosted event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        identify(event.tenant(), event.transferId());
        kind = event.kind();
        status = TransferStatus.POSTED;
        legs = List.copyOf(event.legs());
        metadata = Map.copyOf(event.metadata());
        createdAt = occurredAt;
        chained(hash);
    }

    @EventSourcingHandler
    void on(TransferPending event, @MetaDataValue(AuditKeys.HASH) String hash,
            @MetaDataValue(AuditKeys.OCCURRED_AT) String occurredAt) {
        identify(event.tenant(), event.transferId());
        kind = KIND_TRANSFER;
        status = TransferStatus.PENDING;
        legs = List.of(new Leg(event.debitAccount(), Side.DEBIT.wire(), event.amount(), event.currency()),
                new Leg(event.creditAccount(), Side.CREDIT.wire(), event.amount(), event.currency()));
        expiresAt = event.expiresAt();
        metadata = Map.copyOf(event.metadata());
        createdAt = occurredAt;
        chained(hash);
    }

    @EventSourcingHandler
    void on(PendingTransferPosted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = TransferStatus.POSTED;
        postedAmount = event.amount();
        chained(hash);
    }

    @EventSourcingHandler
    void on(PendingTransferVoided event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = TransferStatus.VOIDED;
        chained(hash);
    }

    @EventSourcingHandler
    void on(PendingTransferExpired event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = TransferStatus.EXPIRED;
        chained(hash);
    }

    private void identify(String tenantId, String id) {
        tenant = tenantId;
        transferId = id;
        aggregateId = AggregateIds.transfer(ledger.domain.model.TenantId.of(tenantId),
                ledger.domain.model.TransferId.of(id));
    }
}
