package ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import ledger.api.LedgerClient;
import ledger.api.LedgerServiceIT;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The paced feeds on the service's real storage engine: a feed reads the store again at once only
 * when an event it keeps was committed, otherwise at its idle read; it hands over the events it
 * keeps, in order, and nothing else.
 */
class EventFeedsIT extends LedgerServiceIT {
    @Autowired
    private EventStorageEngine engine;

    @Test
    void aFeedReadsAgainOnlyWhenAnEventItKeepsIsCommittedOrItsIdleReadIsDue() throws Exception {
        LedgerClient t = newTenant("feeds");
        assertThat(t.openAccount("a", "EUR", "ASSET", null).status()).isEqualTo(201);
        assertThat(t.openAccount("b", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        Counting counting = new Counting(engine);
        // the idle read is far off: every read in this test is caused by a wake-up (or the first read)
        EventFeeds feeds = new EventFeeds(() -> counting, Duration.ofMinutes(10));
        String transferOneId = t.tenant() + "/transfer/t-1";
        Predicate<EventMessage<?>> transferOne = event -> event instanceof DomainEventMessage<?> d
                && d.getAggregateIdentifier().equals(transferOneId);
        BlockingStream<TrackedEventMessage<?>> stream = feeds.source(null, transferOne)
                .openStream(engine.createHeadToken());

        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(counting.reads.get()).as("the first look reads").isEqualTo(1);

        assertThat(t.transfer("k-0", "t-0", "a", "b", "1.00", "EUR").status()).isEqualTo(201);
        feeds.committed(List.of(message(t.tenant() + "/transfer/t-0")));
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.peek()).isEmpty();
        assertThat(counting.reads.get()).as("no event it keeps was committed: no read").isEqualTo(1);

        assertThat(t.transfer("k-1", "t-1", "a", "b", "2.00", "EUR").status()).isEqualTo(201);
        feeds.committed(List.of(message(t.tenant() + "/transfer/t-0"), message(transferOneId)));
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(counting.reads.get()).isEqualTo(2);
        List<String> kept = new ArrayList<>();
        while (stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
            DomainEventMessage<?> event = (DomainEventMessage<?>) stream.nextAvailable();
            kept.add(event.getAggregateIdentifier());
        }
        assertThat(kept).isNotEmpty().allMatch(transferOneId::equals);
        assertThat(counting.reads.get()).as("read to the end once, then waits again").isEqualTo(2);
        stream.close();
    }

    @Test
    void aCaughtUpFeedReadsAtItsIdleReadForEventsCommittedElsewhere() throws Exception {
        LedgerClient t = newTenant("feeds-idle");
        assertThat(t.openAccount("a", "EUR", "ASSET", null).status()).isEqualTo(201);
        assertThat(t.openAccount("b", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        Counting counting = new Counting(engine);
        EventFeeds feeds = new EventFeeds(() -> counting, Duration.ofMillis(300));
        String tenant = t.tenant();
        BlockingStream<TrackedEventMessage<?>> stream = feeds.source(null,
                        event -> event instanceof DomainEventMessage<?> d && d.getAggregateIdentifier().startsWith(tenant + "/"))
                .openStream(engine.createHeadToken());
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();

        assertThat(t.transfer("k-2", "t-2", "a", "b", "3.00", "EUR").status()).isEqualTo(201);
        // never woken (as if another node committed it): found at the next idle read
        assertThat(stream.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
        assertThat(((DomainEventMessage<?>) stream.nextAvailable()).getAggregateIdentifier()).isEqualTo(tenant + "/transfer/t-2");
        assertThat(counting.reads.get()).isGreaterThanOrEqualTo(2);
        stream.close();
    }

    @Test
    void aFilterThatFailsOnACommittedEventWakesItsFeedAndDoesNotThrowIntoTheCommit() throws Exception {
        Counting counting = new Counting(engine);
        EventFeeds feeds = new EventFeeds(() -> counting, Duration.ofMinutes(10));
        BlockingStream<TrackedEventMessage<?>> stream = feeds.source(null, event -> {
            if (event instanceof DomainEventMessage<?> d && d.getAggregateIdentifier().equals("undecidable")) {
                throw new IllegalStateException("the filter cannot decide now");
            }
            return false;
        }).openStream(engine.createHeadToken());
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(counting.reads.get()).isEqualTo(1);

        feeds.committed(List.of(message("undecidable")));
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(counting.reads.get()).as("woken: read once more").isEqualTo(2);
        stream.close();
    }

    private static EventMessage<?> message(String aggregateId) {
        return new GenericDomainEventMessage<>("Transfer", aggregateId, 0, "payload");
    }

    /** The service's storage engine, counting the reads of tracked events. */
    private static final class Counting implements EventStorageEngine {
        private final EventStorageEngine engine;
        final AtomicInteger reads = new AtomicInteger();

        Counting(EventStorageEngine engine) {
            this.engine = engine;
        }

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
            reads.incrementAndGet();
            return engine.readEvents(token, mayBlock);
        }

        @Override
        public void appendEvents(List<? extends EventMessage<?>> events) {
            throw new UnsupportedOperationException("the test only reads");
        }

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            throw new UnsupportedOperationException("the test only reads");
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            return engine.readEvents(aggregateIdentifier, firstSequenceNumber);
        }

        @Override
        public java.util.Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            return engine.readSnapshot(aggregateIdentifier);
        }

        @Override
        public TrackingToken createTailToken() {
            return engine.createTailToken();
        }

        @Override
        public TrackingToken createHeadToken() {
            return engine.createHeadToken();
        }

        @Override
        public TrackingToken createTokenAt(java.time.Instant dateTime) {
            return engine.createTokenAt(dateTime);
        }
    }
}
