package ledger.api.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event streams for tracking processors that care about a few of the ledger's events (the
 * settlement saga, the tax pre-fill), read straight from the JDBC storage engine and paced.
 *
 * <p>Axon's embedded event store keeps a producer thread that reads the store again as soon as a
 * read found anything: under a steady stream of transfers it reads without pause, one query per
 * group commit or more (measured: about 1,000 queries a second at 1,500 transfers a second,
 * docs/performance.md), for processors that handle none of those events. A feed reads when one of
 * the events its processor keeps was committed on this node ({@link #committed}, called by the
 * storage engine after each commit), and otherwise once every {@link #IDLE_READ} (for events
 * appended by other nodes, or outside a unit of work): a processor that handles nothing reads
 * each second's events once, in batches.
 *
 * <p>The events a feed does not keep are passed over inside the stream, so the processor neither
 * handles nor acknowledges them (it would store its token, a commit, for every few of them).
 * Tokens are the storage engine's own: a processor resumes where it was.
 */
public final class EventFeeds {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeeds.class);
    /** How long a caught-up feed waits at most before reading again, when no event it keeps was committed here. */
    public static final Duration IDLE_READ = Duration.ofSeconds(1);

    private final List<Feed> feeds = new CopyOnWriteArrayList<>();
    private final Supplier<EventStorageEngine> engine;
    private final Duration idleRead;

    /**
     * @param engine the service's JDBC storage engine, or null where there is none (with Axon Server,
     *               whose own event store streams events to processors)
     */
    public EventFeeds(Supplier<EventStorageEngine> engine, Duration idleRead) {
        this.engine = engine;
        this.idleRead = idleRead;
    }

    /**
     * The events {@code keep} accepts: a paced feed from the storage engine, or, where there is no
     * storage engine of the service's own, {@code store}'s stream filtered ({@link FilteredEventSource}).
     */
    public StreamableMessageSource<TrackedEventMessage<?>> source(StreamableMessageSource<TrackedEventMessage<?>> store,
                                                                  Predicate<? super EventMessage<?>> keep) {
        EventStorageEngine storage = engine.get();
        if (storage == null) {
            return new FilteredEventSource(store, keep);
        }
        Feed feed = new Feed(storage, keep);
        feeds.add(feed);
        return feed;
    }

    /**
     * Events just committed on this node: wakes the feeds that keep any of them. Runs on the
     * committing thread, after the commit: a filter that fails here (one that reads what it keeps
     * from the database, say, while the database is away) wakes its feed rather than failing the
     * commit's follow-up work, since reading once too often costs only a read.
     */
    public void committed(List<? extends EventMessage<?>> events) {
        for (Feed feed : feeds) {
            for (EventMessage<?> event : events) {
                if (keeps(feed, event)) {
                    feed.wake();
                    break;
                }
            }
        }
    }

    private static boolean keeps(Feed feed, EventMessage<?> event) {
        try {
            return feed.keep.test(event);
        } catch (RuntimeException undecided) {
            LOG.debug("a feed's filter failed on a committed event; waking the feed", undecided);
            return true;
        }
    }

    private final class Feed implements StreamableMessageSource<TrackedEventMessage<?>> {
        private final EventStorageEngine engine;
        private final Predicate<? super EventMessage<?>> keep;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition woken = lock.newCondition();
        private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
        private volatile long wakes;

        Feed(EventStorageEngine engine, Predicate<? super EventMessage<?>> keep) {
            this.engine = engine;
            this.keep = keep;
        }

        void wake() {
            lock.lock();
            try {
                wakes++;
                woken.signalAll();
            } finally {
                lock.unlock();
            }
            callbacks.forEach(Runnable::run);
        }

        /** Waits until woken past {@code seen} or until {@code untilNanos}; true if woken. */
        boolean await(long seen, long untilNanos) throws InterruptedException {
            lock.lock();
            try {
                long left;
                while (wakes == seen && (left = untilNanos - System.nanoTime()) > 0) {
                    woken.awaitNanos(left);
                }
                return wakes != seen;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
            return new Paced(this, token);
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
        public TrackingToken createTokenAt(Instant dateTime) {
            return engine.createTokenAt(dateTime);
        }
    }

    /**
     * One processor thread's stream: reads until the store has nothing newer, then waits for a
     * wake-up or the idle read before reading again from the last token it passed.
     */
    private final class Paced implements BlockingStream<TrackedEventMessage<?>> {
        private final Feed feed;
        private TrackingToken last;
        private Stream<? extends TrackedEventMessage<?>> open;
        private Iterator<? extends TrackedEventMessage<?>> reading;
        private TrackedEventMessage<?> next;
        private long readAt;
        private long seenWakes = -1;
        private Runnable callback;

        Paced(Feed feed, TrackingToken from) {
            this.feed = feed;
            this.last = from;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            try {
                return Optional.ofNullable(hasNextAvailable(0, TimeUnit.MILLISECONDS) ? next : null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (next == null) {
                if (reading != null && reading.hasNext()) {
                    TrackedEventMessage<?> event = reading.next();
                    last = event.trackingToken();
                    if (feed.keep.test(event)) {
                        next = event;
                    }
                    continue;
                }
                closeReading();
                long wakes = feed.wakes;
                if (wakes == seenWakes) { // read since the last wake-up: wait for the next one or the idle read
                    long due = readAt + idleRead.toNanos();
                    boolean woken = feed.await(wakes, Math.min(due, deadline));
                    if (!woken && System.nanoTime() - due < 0) {
                        return false; // the caller's time is up
                    }
                    wakes = feed.wakes;
                }
                seenWakes = wakes;
                readAt = System.nanoTime();
                open = engine().readEvents(last, false);
                reading = open.iterator();
                if (!reading.hasNext() && System.nanoTime() - deadline >= 0) {
                    closeReading();
                    return false;
                }
            }
            return true;
        }

        private EventStorageEngine engine() {
            return feed.engine;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(Integer.MAX_VALUE, TimeUnit.MILLISECONDS)) {
                // the wait is bounded by the idle read; wait on
            }
            TrackedEventMessage<?> taken = next;
            next = null;
            return taken;
        }

        private void closeReading() {
            if (open != null) {
                open.close();
                open = null;
                reading = null;
            }
        }

        /**
         * A processor that does not wait in {@link #hasNextAvailable} (Axon's pooled streaming
         * processor) is called back when an event it keeps is committed here; for the idle read it
         * looks again by itself (the pooled processor does, every few hundred milliseconds).
         */
        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            if (this.callback != null) {
                feed.callbacks.remove(this.callback);
            }
            this.callback = callback;
            feed.callbacks.add(callback);
            return true;
        }

        @Override
        public void close() {
            closeReading();
            if (callback != null) {
                feed.callbacks.remove(callback);
                callback = null;
            }
        }
    }
}
