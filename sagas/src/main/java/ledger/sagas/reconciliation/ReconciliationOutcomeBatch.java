package ledger.sagas.reconciliation;

import ledger.domain.model.Invariants;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.SealedAggregate;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordOutcomes;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomesRecorded;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * Matches and breaks the continuous matcher decided together (docs/reconciliation.md, "Continuous
 * matching"): one event for a whole batch, so a statement of 357,414 unanswered lines is 715 events,
 * not 357,414 commands. A batch is recorded once; its outcomes are resolved on their own aggregates
 * ({@link ReconciliationOutcome}).
 */
@AggregateRoot(type = ReconciliationOutcomeBatch.TYPE)
public class ReconciliationOutcomeBatch extends SealedAggregate {
    public static final String TYPE = "ReconciliationOutcomeBatch";

    @AggregateIdentifier
    private String aggregateId;

    protected ReconciliationOutcomeBatch() {
        // for Axon, and for a new batch (created by its RecordOutcomes)
    }

    @Override
    protected String aggregateType() {
        return TYPE;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(RecordOutcomes command) {
        Invariants.check(!command.outcomes().isEmpty()
                && command.outcomes().size() <= ReconciliationCommands.OUTCOMES_PER_EVENT,
                "a batch holds 1 to " + ReconciliationCommands.OUTCOMES_PER_EVENT + " outcomes");
        if (aggregateId == null) {
            applySealed(command.tenant(), command.aggregateId(), new ReconciliationOutcomesRecorded(command.tenant(),
                    command.batchId(), command.outcomes()));
        }
        return command.outcomes().size();
    }

    @EventSourcingHandler
    void on(ReconciliationOutcomesRecorded event, @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = ReconciliationCommands.outcomeBatchAggregateId(event.tenant(), event.batchId());
        chained(hash);
    }
}
