package ledger.domain;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Axon's in-memory storage engine reads an aggregate by scanning every stored event; over a long
 * randomized run that makes each load slower than the last. This one keeps the same store and adds
 * an index by aggregate, filled in the same prepare-commit step that stores the events.
 */
final class IndexedInMemoryEventStorageEngine extends InMemoryEventStorageEngine {
    private final Map<String, List<DomainEventMessage<?>>> byAggregate = new ConcurrentHashMap<>();

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        super.appendEvents(events);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().onPrepareCommit(uow -> index(events));
        } else {
            index(events);
        }
    }

    private void index(List<? extends EventMessage<?>> events) {
        for (EventMessage<?> event : events) {
            if (event instanceof DomainEventMessage<?> domain) {
                byAggregate.computeIfAbsent(domain.getAggregateIdentifier(), id -> new CopyOnWriteArrayList<>())
                        .add(domain);
            }
        }
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        List<DomainEventMessage<?>> chain = byAggregate.getOrDefault(aggregateIdentifier, List.of()).stream()
                .filter(event -> event.getSequenceNumber() >= firstSequenceNumber).toList();
        return DomainEventStream.of(chain.stream(),
                () -> chain.isEmpty() ? null : chain.get(chain.size() - 1).getSequenceNumber());
    }
}
