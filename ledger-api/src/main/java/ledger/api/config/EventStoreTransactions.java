package ledger.api.config;

import java.util.function.Supplier;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * The JDBC event store's transactions: writes (appends, snapshots) in the application's
 * transactions, reads as they come, without a transaction of their own.
 *
 * <p>Every read of the event store is one statement, or two or three that do not need to see one
 * snapshot (the tracking read's gap check and its re-read at READ COMMITTED, the isolation the
 * store's transactions had, see each committed row anyway). Outside a transaction each runs in
 * autocommit on a pooled connection; inside a unit of work it uses that unit of work's connection
 * and transaction as before. What a read's own transaction added was a {@code BEGIN} and a
 * {@code COMMIT} round trip, and the event processors' stream reads after nearly every commit.
 */
final class EventStoreTransactions implements TransactionManager {
    private final TransactionManager writes;

    EventStoreTransactions(TransactionManager writes) {
        this.writes = writes;
    }

    @Override
    public Transaction startTransaction() {
        return writes.startTransaction();
    }

    @Override
    public <T> T fetchInTransaction(Supplier<T> read) {
        return read.get();
    }
}
