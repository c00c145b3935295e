package ledger.projections;

import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Writes a projection collects while a processor batch runs and flushes when the batch's
 * transaction prepares to commit (so they commit with the processor's token), instead of one
 * statement per event. Outside a unit of work there is no batch: the caller writes at once.
 */
public final class PerBatch {
    private PerBatch() {
    }

    /** Collected writes that can be flushed any number of times; a flush empties them. */
    public interface Writes {
        void flush();

        /** The batch's transaction rolled back: drop what memory holds ahead of the database. */
        default void rolledBack() {
        }
    }

    /** The current batch's writes under {@code key}, created (and registered for its commit) on first use. */
    public static <W extends Writes> W writes(String key, Supplier<W> fresh) {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        @SuppressWarnings("unchecked")
        W writes = (W) root.resources().get(key);
        if (writes == null) {
            W created = fresh.get();
            root.resources().put(key, created);
            root.onPrepareCommit(u -> created.flush());
            root.onRollback(u -> created.rolledBack());
            writes = created;
        }
        return writes;
    }

    /** Flushes the current batch's writes under {@code key} now, if there are any: an event that must follow them. */
    public static void flush(String key) {
        if (CurrentUnitOfWork.isStarted()) {
            Object writes = CurrentUnitOfWork.get().root().resources().get(key);
            if (writes instanceof Writes w) {
                w.flush();
            }
        }
    }

    /**
     * Hands {@code item} to the current batch's writes under {@code key}; outside a batch, to fresh
     * writes that are flushed at once.
     */
    public static <W extends Writes, T> void add(String key, Supplier<W> fresh, BiConsumer<W, T> add, T item) {
        if (!CurrentUnitOfWork.isStarted()) {
            W now = fresh.get();
            add.accept(now, item);
            now.flush();
            return;
        }
        add.accept(writes(key, fresh), item);
    }
}
