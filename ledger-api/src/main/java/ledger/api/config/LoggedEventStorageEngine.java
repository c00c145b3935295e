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
 * whatever appended it (a command, a deadline). Once committed, the {@link EventFeeds} that keep
 * any of them are woken.
 */
final class LoggedEventStorageEngine extends JdbcEventStorageEngine {
    private final TransactionWrites writes;
    private final LedgerMetrics metrics;
    private final EventFeeds feeds;

    LoggedEventStorageEngine(LedgerMetrics metrics, Builder builder, TransactionWrites writes, EventFeeds feeds) {
        super(builder);
        this.writes = writes;
        this.metrics = metrics;
        this.feeds = feeds;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        super.appendEvents(events, serializer);
        writes.events(events);
        int appended = events.size();
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> { // counted, and feeds woken, once committed
                metrics.eventsAppended(appended);
                feeds.committed(events);
            });
        } else {
            metrics.eventsAppended(appended);
            // no commit to wait for here: the feeds find these events at their next idle read
        }
    }
}
