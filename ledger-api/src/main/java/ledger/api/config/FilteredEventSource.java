package ledger.api.config;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * The event store as a tracking processor that cares about a few events should see it: only the
 * events {@code keep} accepts. The others are passed over inside the stream, so the processor
 * neither handles nor acknowledges them: without this, a processor stores its token (a commit) for
 * every few ledger events it ignores, which on the write path costs a commit per transfer or more.
 * Tokens are the event store's own, so a processor resumes where it was.
 */
public final class FilteredEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {
    private final StreamableMessageSource<TrackedEventMessage<?>> store;
    private final Predicate<? super TrackedEventMessage<?>> keep;

    public FilteredEventSource(StreamableMessageSource<TrackedEventMessage<?>> store,
                               Predicate<? super TrackedEventMessage<?>> keep) {
        this.store = store;
        this.keep = keep;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new Filtered(store.openStream(trackingToken), keep);
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    private static final class Filtered implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> inner;
        private final Predicate<? super TrackedEventMessage<?>> keep;
        private TrackedEventMessage<?> next;

        Filtered(BlockingStream<TrackedEventMessage<?>> inner, Predicate<? super TrackedEventMessage<?>> keep) {
            this.inner = inner;
            this.keep = keep;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            try {
                while (next == null && inner.hasNextAvailable()) {
                    TrackedEventMessage<?> candidate = inner.nextAvailable();
                    if (keep.test(candidate)) {
                        next = candidate;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.ofNullable(next);
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (next == null) {
                long left = deadline - System.nanoTime();
                if (!inner.hasNextAvailable((int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)),
                        TimeUnit.MILLISECONDS)) {
                    return false;
                }
                TrackedEventMessage<?> candidate = inner.nextAvailable();
                if (keep.test(candidate)) {
                    next = candidate;
                } else if (System.nanoTime() > deadline) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(Integer.MAX_VALUE, TimeUnit.MILLISECONDS)) {
                // wait on
            }
            TrackedEventMessage<?> taken = next;
            next = null;
            return taken;
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return inner.setOnAvailableCallback(callback);
        }
    }
}
