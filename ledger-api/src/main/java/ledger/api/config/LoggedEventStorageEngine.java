package ledger.api.config;

import java.util.List;
import ledger.api.metrics.LedgerMetrics;
import ledger.projections.TransactionWrites;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;

/**
 * The JDBC event store, which hands every batch of events it appends to {@link TransactionWrites}
 * right after, in the same transaction: their audit-log positions are written with them (with the
 * batch's other writes, in one statement), so no event is committed without its log position,
 * whatever appended it (a command, a deadline).
 */
final class LoggedEventStorageEngine extends JdbcEventStorageEngine {
    private final TransactionWrites writes;
    private final LedgerMetrics metrics;

    LoggedEventStorageEngine(LedgerMetrics metrics, Builder builder, TransactionWrites writes) {
        super(builder);
        this.writes = writes;
        this.metrics = metrics;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        super.appendEvents(events, serializer);
        writes.events(events);
        int appended = events.size();
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> metrics.eventsAppended(appended)); // counted once committed
        } else {
            metrics.eventsAppended(appended);
        }
    }
}
