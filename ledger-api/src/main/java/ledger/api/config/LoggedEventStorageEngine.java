package ledger.api.config;

import java.util.List;
import ledger.projections.TransactionWrites;
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

    LoggedEventStorageEngine(Builder builder, TransactionWrites writes) {
        super(builder);
        this.writes = writes;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        super.appendEvents(events, serializer);
        writes.events(events);
    }
}
