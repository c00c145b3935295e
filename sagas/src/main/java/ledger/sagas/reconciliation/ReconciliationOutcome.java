package ledger.sagas.reconciliation;

import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.SealedAggregate;
import ledger.domain.model.Invariants;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordOutcome;
import ledger.sagas.reconciliation.ReconciliationCommands.ResolveBreak;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationBreakResolved;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomeRecorded;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * One match or break of the continuous matcher (docs/reconciliation.md, "Continuous matching"):
 * its resolution and the account it froze. Decisions are recorded in batches now
 * ({@link ReconciliationOutcomeBatch}); an outcome recorded alone before that ({@link
 * ReconciliationOutcomeRecorded}, the same decision twice recording nothing) keeps its history here.
 * Created by its first resolution or freeze when its decision was recorded in a batch: the caller
 * found it as a break in the view.
 */
@AggregateRoot(type = ReconciliationOutcome.TYPE)
public class ReconciliationOutcome extends SealedAggregate {
    public static final String TYPE = "ReconciliationOutcome";

    @AggregateIdentifier
    private String aggregateId;
    private ReconciliationOutcomeRecorded last;
    private ReconciliationBreakResolved resolution;
    private String frozenAccount;

    protected ReconciliationOutcome() {
        // for Axon, and for a new outcome (created by its first RecordOutcome)
    }

    @Override
    protected String aggregateType() {
        return TYPE;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public String handle(RecordOutcome command) {
        ReconciliationOutcomeRecorded next = command.outcome();
        if (!next.equals(last)) {
            applySealed(next.tenant(), command.aggregateId(), next);
        }
        return next.outcomeId();
    }

    /** Resolves the break once; answers the resolution that holds (the first). */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public ReconciliationBreakResolved handle(ResolveBreak command) {
        Invariants.check(last == null || "BREAK".equals(last.status()), "only a break is resolved");
        if (resolution == null) {
            applySealed(command.resolved().tenant(), command.aggregateId(), command.resolved());
        }
        return resolution;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ledger.sagas.reconciliation.ReconciliationCommands.RecordAccountFrozen command) {
        Invariants.check(last == null || "BREAK".equals(last.status()), "only a break freezes an account");
        if (frozenAccount == null) {
            applySealed(command.frozen().tenant(), command.aggregateId(), command.frozen());
        }
    }

    @EventSourcingHandler
    void on(ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationAccountFrozen event,
            @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = ReconciliationCommands.outcomeAggregateId(event.tenant(), event.outcomeId());
        frozenAccount = event.account();
        chained(hash);
    }

    @EventSourcingHandler
    void on(ReconciliationBreakResolved event, @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = ReconciliationCommands.outcomeAggregateId(event.tenant(), event.outcomeId());
        resolution = event;
        chained(hash);
    }

    @EventSourcingHandler
    void on(ReconciliationOutcomeRecorded event, @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = ReconciliationCommands.outcomeAggregateId(event.tenant(), event.outcomeId());
        last = event;
        chained(hash);
    }
}
