package ledger.api.command;

import java.util.function.Predicate;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Whether a new transfer's id is taken, asked only when it matters. A command is first sent
 * optimistically: the id is taken as new without a query, and the event store's unique
 * (aggregate, sequence) key refuses the append if it was not; that failure is a conflict
 * ({@link Conflicts}), so the caller answers a stored idempotent answer if the key has one, or
 * sends the command again marked {@link #CAREFUL}. A careful command asks the event store, and a
 * taken id is refused as {@code duplicate_id} before anything is applied. Fresh ids, nearly all of
 * them, cost no query; a duplicate costs one failed attempt.
 */
public final class NewStreamProbe implements Predicate<String> {
    /** Command metadata: "true" when the command was sent before and failed on a conflict. */
    public static final String CAREFUL = ledger.domain.command.TransferCommands.CAREFUL;

    private final EventStore events;

    public NewStreamProbe(EventStore events) {
        this.events = events;
    }

    @Override
    public boolean test(String aggregateId) {
        if (CurrentUnitOfWork.isStarted()
                && !"true".equals(CurrentUnitOfWork.get().getMessage().getMetaData().get(CAREFUL))) {
            return false;
        }
        return events.lastSequenceNumberFor(aggregateId).isPresent();
    }
}
