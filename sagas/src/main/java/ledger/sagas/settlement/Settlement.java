package ledger.sagas.settlement;

import java.util.EnumSet;
import java.util.Set;
import ledger.domain.model.Invariants;
import ledger.domain.money.Money;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.SealedAggregate;
import ledger.sagas.settlement.SettlementCommands.CompensateSettlement;
import ledger.sagas.settlement.SettlementCommands.CompleteSettlement;
import ledger.sagas.settlement.SettlementCommands.FailSettlement;
import ledger.sagas.settlement.SettlementCommands.RecordRefusal;
import ledger.sagas.settlement.SettlementCommands.RecordStep;
import ledger.sagas.settlement.SettlementCommands.RequoteSettlement;
import ledger.sagas.settlement.SettlementCommands.StartSettlement;
import ledger.sagas.settlement.SettlementEvents.SettlementCompensated;
import ledger.sagas.settlement.SettlementEvents.SettlementCompleted;
import ledger.sagas.settlement.SettlementEvents.SettlementFailed;
import ledger.sagas.settlement.SettlementEvents.SettlementRequoted;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;
import ledger.sagas.settlement.SettlementEvents.SettlementStepDone;
import ledger.sagas.settlement.SettlementEvents.SettlementStepRefused;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;

/**
 * The record of one settlement: what it was decided on and how far it got. It moves no money (the
 * {@link SettlementSaga} does, through ledger commands); it keeps the history that the settlement
 * view and any later recomputation read. Once final (completed, compensated or failed) it records
 * nothing more, and every command is idempotent: a step recorded twice, or a second final
 * outcome, changes nothing (the saga may repeat a command after a restart).
 */
@AggregateRoot(type = Settlement.TYPE)
public class Settlement extends SealedAggregate {
    public static final String TYPE = "Settlement";

    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private SettlementStatus status;
    private final Set<Step> done = EnumSet.noneOf(Step.class);
    private final Set<Step> refused = EnumSet.noneOf(Step.class);
    private boolean requoted;

    protected Settlement() {
        // for Axon
    }

    @CommandHandler
    public Settlement(StartSettlement command) {
        SettlementStarted started = command.started();
        long mid = Money.minorOf(started.valueAtMid());
        long parts = Money.minorOf(started.destinationAmount()) + Money.minorOf(started.spreadRevenuePosted())
                + Money.minorOf(started.roundingPosted());
        Invariants.check(mid == parts, "valueAtMid = destination + spreadRevenuePosted + roundingPosted");
        Invariants.check(!started.sourceCurrency().equals(started.destinationCurrency()),
                "a settlement converts between two currencies");
        applySealed(started.tenant(), command.aggregateId(), started);
    }

    @Override
    protected String aggregateType() {
        return TYPE;
    }

    @CommandHandler
    public SettlementStatus handle(RecordStep command) {
        if (status == SettlementStatus.PENDING && !done.contains(command.step())) {
            applySealed(tenant, aggregateId, new SettlementStepDone(tenant, command.settlementId(),
                    command.step().name(), command.transferId()));
        }
        return status;
    }

    @CommandHandler
    public SettlementStatus handle(RequoteSettlement command) {
        SettlementRequoted requote = command.requoted();
        if (status == SettlementStatus.PENDING && !requoted && !done.contains(Step.DESTINATION_POSTED)) {
            long mid = Money.minorOf(requote.valueAtMid());
            long parts = Money.minorOf(requote.destinationAmount()) + Money.minorOf(requote.spreadRevenuePosted())
                    + Money.minorOf(requote.roundingPosted());
            Invariants.check(mid == parts, "valueAtMid = destination + spreadRevenuePosted + roundingPosted");
            applySealed(tenant, aggregateId, requote);
        }
        return status;
    }

    @CommandHandler
    public SettlementStatus handle(RecordRefusal command) {
        if (status == SettlementStatus.PENDING && !done.contains(command.step()) && !refused.contains(command.step())) {
            applySealed(tenant, aggregateId, new SettlementStepRefused(tenant, command.settlementId(),
                    command.step().name(), command.code(), command.detail()));
        }
        return status;
    }

    @CommandHandler
    public SettlementStatus handle(CompleteSettlement command) {
        if (status == SettlementStatus.PENDING) {
            Invariants.check(done.contains(Step.RESERVED) && done.contains(Step.DESTINATION_POSTED),
                    "a settlement completes after its reservation and destination side");
            applySealed(tenant, aggregateId, new SettlementStepDone(tenant, command.settlementId(),
                    Step.RESERVATION_POSTED.name(), command.transferId()));
            applySealed(tenant, aggregateId, new SettlementCompleted(tenant, command.settlementId()));
        }
        return status;
    }

    @CommandHandler
    public SettlementStatus handle(CompensateSettlement command) {
        if (status == SettlementStatus.PENDING) {
            applySealed(tenant, aggregateId, new SettlementCompensated(tenant, command.settlementId(),
                    command.reasonCode(), command.reasonDetail(), command.undone()));
        }
        return status;
    }

    @CommandHandler
    public SettlementStatus handle(FailSettlement command) {
        if (status == SettlementStatus.PENDING) {
            Invariants.check(!done.contains(Step.DESTINATION_POSTED), "a settlement that posted is compensated, not failed");
            applySealed(tenant, aggregateId, new SettlementFailed(tenant, command.settlementId(), command.reasonCode(),
                    command.reasonDetail()));
        }
        return status;
    }

    // ---- state changes: only here ----

    @EventSourcingHandler
    void on(SettlementStarted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = SettlementCommands.aggregateId(event.tenant(), event.settlementId());
        tenant = event.tenant();
        status = SettlementStatus.PENDING;
        chained(hash);
    }

    @EventSourcingHandler
    void on(SettlementStepDone event, @MetaDataValue(AuditKeys.HASH) String hash) {
        done.add(Step.valueOf(event.step()));
        chained(hash);
    }

    @EventSourcingHandler
    void on(SettlementRequoted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        requoted = true;
        chained(hash);
    }

    @EventSourcingHandler
    void on(SettlementStepRefused event, @MetaDataValue(AuditKeys.HASH) String hash) {
        refused.add(Step.valueOf(event.step()));
        chained(hash);
    }

    @EventSourcingHandler
    void on(SettlementCompleted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = SettlementStatus.COMPLETED;
        chained(hash);
    }

    @EventSourcingHandler
    void on(SettlementCompensated event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = SettlementStatus.COMPENSATED;
        chained(hash);
    }

    @EventSourcingHandler
    void on(SettlementFailed event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = SettlementStatus.FAILED;
        chained(hash);
    }
}
