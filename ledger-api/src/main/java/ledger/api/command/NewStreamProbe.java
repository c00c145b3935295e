package ledger.api.command;


import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import ledger.domain.command.TransferCommands.PostsToAccounts;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import ledger.projections.Jdbc;
import org.jooq.DSLContext;

/**
 * Whether an aggregate's event stream exists already (a new transfer's id must be unused). In a
 * group-commit batch every new transfer's id is looked up with one query before the commands run;
 * otherwise, or for an id the batch did not announce, the event store is asked.
 *
 * <p>The answer only covers what was committed before the batch: two commands of one batch creating
 * the same id both see "new", and the event store's unique (aggregate, sequence) key then fails the
 * batch, which runs again command by command, where the second is refused. That is the same as
 * asking the event store per command, whose uncommitted events are not visible either.
 */
public final class NewStreamProbe implements Predicate<String>, BatchParticipant {
    private static final String KNOWN = NewStreamProbe.class.getName() + ".known";
    private static final String EXISTING = "SELECT aggregate_identifier FROM domain_event_entry "
            + "WHERE aggregate_identifier = ANY(?::varchar[]) AND sequence_number = 0";

    private final EventStore events;
    private final DSLContext dsl;
    private final boolean lookUpInDatabase;

    /**
     * @param lookUpInDatabase whether events are in this database's {@code domain_event_entry}
     *                         (not when Axon Server stores them: then every id is asked one by one)
     */
    public NewStreamProbe(EventStore events, DSLContext dsl, boolean lookUpInDatabase) {
        this.events = events;
        this.dsl = dsl;
        this.lookUpInDatabase = lookUpInDatabase;
    }

    @Override
    public boolean test(String aggregateId) {
        if (CurrentUnitOfWork.isStarted()) {
            @SuppressWarnings("unchecked")
            Map<String, Boolean> known = (Map<String, Boolean>) CurrentUnitOfWork.get().root().resources().get(KNOWN);
            Boolean exists = known == null ? null : known.get(aggregateId);
            if (exists != null) {
                return exists;
            }
        }
        return events.lastSequenceNumberFor(aggregateId).isPresent();
    }

    @Override
    public void beforeCommands(UnitOfWork<?> batch, List<PostsToAccounts> commands) {
        if (!lookUpInDatabase) {
            return;
        }
        Map<String, Boolean> known = new HashMap<>(commands.size() * 2);
        commands.forEach(c -> c.createdTransfers().forEach(id -> known.put(id, Boolean.FALSE)));
        if (known.isEmpty()) {
            return;
        }
        Jdbc.queryStrings(dsl, EXISTING, new Jdbc.Array("varchar", known.keySet().toArray()))
                .forEach(id -> known.put(id, Boolean.TRUE));
        batch.resources().put(KNOWN, known);
    }
}
