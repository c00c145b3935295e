package ledger.api.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.app.Views.FeedEvent;
import ledger.api.app.Views.FeedPage;
import ledger.api.command.Outage;
import ledger.api.security.Caller;
import ledger.audit.Envelope;
import ledger.audit.Sha256;
import ledger.projections.audit.AuditExportReader;
import ledger.projections.audit.AuditExportReader.EventCursor;
import ledger.projections.audit.AuditExportReader.LoggedEvent;
import ledger.projections.audit.AuditLogQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A tenant's change feed, for both APIs (docs/change-feed.md): the events of its audit log in
 * position order, each with its position and hash so it can be proven. Positions are dense and
 * committed in order (a transaction holds the tenant's {@code audit_head} row until it commits), so
 * "every position after p" read at any moment is a gap-free prefix of what will ever follow p: a
 * reader that resumes after the last position it got neither skips nor repeats anything.
 *
 * <p>Streams: one poller per node reads the log sizes of the tenants that have streams ({@code
 * audit_head}, one indexed row each) every {@code pollInterval}, and hands each stream that is
 * behind to a small pool that reads its next events and sends them. So the database sees one small
 * query per node and interval however many streams there are, plus the reads of events that are
 * actually new. (PostgreSQL NOTIFY from the write path would be faster to wake, but every notifying
 * transaction takes a database-wide lock at commit, which the group-committed write path cannot
 * afford.) Streams are bounded per key, per tenant and per node ({@code too_many_streams}).
 */
public final class ChangeFeed implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    public static final int LIMIT_DEFAULT = 100;
    public static final int LIMIT_MAX = 1_000;
    /** Events a stream reads per round; a stream further behind takes several, interleaved with the others'. */
    static final int STREAM_BATCH = 200;

    /**
     * @param pollInterval        how often the node looks for new events of the tenants it streams
     * @param streamsPerKeyMax    open streams of one API key on this node
     * @param streamsPerTenantMax open streams of one tenant on this node
     * @param streamsMax          open streams on this node
     * @param senderThreads       threads that read and send events to streams
     * @param heartbeatInterval   a stream that sent nothing for this long gets a heartbeat (SSE comment)
     * @param streamDurationMax   a stream ends after this long; the client resumes from its last position
     */
    @org.springframework.boot.context.properties.ConfigurationProperties(prefix = "ledger.feed")
    public record Settings(@DefaultValue("100ms") Duration pollInterval, @DefaultValue("4") int streamsPerKeyMax,
                           @DefaultValue("16") int streamsPerTenantMax, @DefaultValue("1000") int streamsMax,
                           @DefaultValue("4") int senderThreads, @DefaultValue("15s") Duration heartbeatInterval,
                           @DefaultValue("30m") Duration streamDurationMax) {
        public Settings {
            if (pollInterval.toMillis() < 1 || streamsPerKeyMax < 1 || streamsPerTenantMax < 1 || streamsMax < 1
                    || senderThreads < 1 || heartbeatInterval.toMillis() < 1 || streamDurationMax.toMillis() < 1) {
                throw new IllegalArgumentException("ledger.feed: every setting must be positive, got " + this);
            }
        }
    }

    /** Where a stream's events go: an SSE response or a gRPC call. Called by one thread at a time per stream. */
    public interface Sink {
        /** Whether an event can be taken now without piling up (gRPC flow control); else {@link Stream#wake} later. */
        boolean ready();

        /** Sends one event; a failure means the client is gone. */
        void send(FeedEvent event) throws Exception;

        /** Shows the client the stream is alive while nothing happens (a no-op where the transport has its own). */
        void heartbeat() throws Exception;

        /** Ends the stream (the node stops, or it lasted {@code streamDurationMax}): the client resumes. */
        void end();
    }

    private final AuditExportReader reader;
    private final AuditLogQueries log;
    private final TransactionTemplate readOnly;
    private final Settings settings;
    private final Map<String, Set<Stream>> byTenant = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    /** The log sizes the poller last read, by tenant. */
    private final Map<String, Long> sizes = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService poller;
    private volatile ExecutorService senders;

    public ChangeFeed(AuditExportReader reader, AuditLogQueries log, TransactionTemplate readOnly, Settings settings) {
        this.reader = reader;
        this.log = log;
        this.readOnly = readOnly;
        this.settings = settings;
    }

    // ---------------------------------------------------------------- pages

    /** Events after {@code after} (null: from the first), at most {@code limit} (null: {@link #LIMIT_DEFAULT}). */
    public FeedPage page(Caller caller, Long after, Integer limit) {
        int size = limit == null ? LIMIT_DEFAULT : limit;
        if (size < 1 || size > LIMIT_MAX) {
            throw Refusal.validation("limit must be between 1 and " + LIMIT_MAX);
        }
        long from = checkAfter(caller.tenant(), after);
        List<FeedEvent> events = read(caller.tenant(), from, size);
        Long next = events.isEmpty() ? after : Long.valueOf(events.get(events.size() - 1).position());
        return new FeedPage(events, next);
    }

    /** A position given as text ({@code name} in refusals): null or empty is none. */
    public static Long position(String text, String name) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            long p = Long.parseLong(text.trim());
            if (p < 0) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw Refusal.validation(name + " must be a position of the change feed (an integer >= 0)");
        }
    }

    /** {@code after} as the position to read after (-1: the start); refused beyond the log's end. */
    private long checkAfter(String tenant, Long after) {
        if (after == null) {
            return -1;
        }
        if (after < 0) {
            throw Refusal.validation("after must be a position of the change feed (an integer >= 0)");
        }
        long size = log.size(tenant);
        if (after >= size) {
            throw Refusal.validation("after " + after + " is past the end of the change feed (its last position is "
                    + (size - 1) + "): events would be skipped");
        }
        return after;
    }

    private List<FeedEvent> read(String tenant, long after, int limit) {
        List<FeedEvent> events = new ArrayList<>(Math.min(limit, STREAM_BATCH));
        readOnly.executeWithoutResult(tx -> {
            try (EventCursor cursor = reader.open(tenant, after + 1, after + limit)) {
                while (cursor.hasNext()) {
                    events.add(view(AuditExportReader.rebuild(tenant, cursor.next())));
                }
            }
        });
        return events;
    }

    private static FeedEvent view(LoggedEvent logged) {
        Envelope e = logged.envelope();
        String canonical = e.canonicalString();
        // pair assertion: what we hand out hashes to the hash we hand out with it
        String hash = Sha256.hex(Sha256.digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (!hash.equals(logged.hash())) {
            throw new IllegalStateException("event " + e.eventId() + " at position " + logged.position()
                    + " hashes to " + hash + ", the log says " + logged.hash());
        }
        return new FeedEvent(logged.position(), logged.hash(), e.eventId(), e.eventType(), e.aggregateType(),
                e.aggregateId(), e.seq(), e.occurredAt(), canonical);
    }

    // ---------------------------------------------------------------- streams

    /** An open stream; the transport tells it when its client is gone or ready again. */
    public final class Stream {
        private final Caller caller;
        private final Sink sink;
        private final long openedNanos = System.nanoTime();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        /** The last position sent (-1: none); written by the one sender running for this stream. */
        private volatile long position;
        private volatile long lastSentNanos = System.nanoTime();

        private Stream(Caller caller, long after, Sink sink) {
            this.caller = caller;
            this.position = after;
            this.sink = sink;
        }

        /** The client went away (or the stream was ended): stop sending. */
        public void cancel() {
            close();
        }

        /** The sink can take events again. */
        public void wake() {
            schedule(this);
        }

        public long position() {
            return position;
        }

        private boolean close() {
            if (!closed.compareAndSet(false, true)) {
                return false;
            }
            Set<Stream> streams = byTenant.get(caller.tenant());
            if (streams != null) {
                streams.remove(this);
            }
            byKey.computeIfPresent(caller.keyId(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
            open.decrementAndGet();
            return true;
        }
    }

    /**
     * Opens a stream of the caller's events after {@code after} (null: from the first); refused with
     * {@code too_many_streams} beyond the limits.
     */
    public Stream open(Caller caller, Long after, Sink sink) {
        long from = checkAfter(caller.tenant(), after);
        if (senders == null) {
            throw Refusal.databaseUnavailable();
        }
        synchronized (this) {
            Set<Stream> tenant = byTenant.computeIfAbsent(caller.tenant(), t -> ConcurrentHashMap.newKeySet());
            AtomicInteger key = byKey.computeIfAbsent(caller.keyId(), k -> new AtomicInteger());
            if (open.get() >= settings.streamsMax()) {
                throw new Refusal(Codes.TOO_MANY_STREAMS, "this node has " + settings.streamsMax()
                        + " open streams already; try another node or later");
            }
            if (tenant.size() >= settings.streamsPerTenantMax()) {
                throw new Refusal(Codes.TOO_MANY_STREAMS, "tenant " + caller.tenant() + " has "
                        + settings.streamsPerTenantMax() + " open streams on this node already");
            }
            if (key.get() >= settings.streamsPerKeyMax()) {
                throw new Refusal(Codes.TOO_MANY_STREAMS, "this API key has " + settings.streamsPerKeyMax()
                        + " open streams on this node already");
            }
            Stream stream = new Stream(caller, from, sink);
            tenant.add(stream);
            key.incrementAndGet();
            open.incrementAndGet();
            schedule(stream);
            return stream;
        }
    }

    private void schedule(Stream stream) {
        ExecutorService pool = senders;
        if (pool == null || stream.closed.get() || !stream.scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.execute(() -> send(stream));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stream.scheduled.set(false); // stopping
        }
    }

    /** Sends the stream what it has not had yet, a batch at a time; runs for one stream at a time. */
    private void send(Stream stream) {
        boolean more = false;
        try {
            if (stream.closed.get() || !stream.sink.ready()) {
                return; // ready again: wake(); closed: nothing to do
            }
            List<FeedEvent> batch = read(stream.caller.tenant(), stream.position, STREAM_BATCH);
            for (FeedEvent event : batch) {
                if (stream.closed.get()) {
                    return;
                }
                if (!stream.sink.ready()) {
                    return; // the rest is read again when it is
                }
                stream.sink.send(event);
                stream.position = event.position();
                stream.lastSentNanos = System.nanoTime();
            }
            more = batch.size() == STREAM_BATCH;
            if (batch.isEmpty() && System.nanoTime() - stream.lastSentNanos >= settings.heartbeatInterval().toNanos()) {
                stream.sink.heartbeat();
                stream.lastSentNanos = System.nanoTime();
            }
        } catch (Exception e) {
            if (Outage.isDatabaseUnavailable(e)) {
                LOG.debug("change feed: the database is not available, the poller tries again", e);
            } else {
                // mostly the client is gone (the send failed); whatever it was, the stream ends and the
                // client resumes from the last position it got
                LOG.debug("change feed: a stream of {} ended: {}", stream.caller.tenant(), e.toString());
                if (stream.close()) {
                    endQuietly(stream);
                }
            }
        } finally {
            stream.scheduled.set(false);
        }
        Long size = sizes.get(stream.caller.tenant());
        if (more || size != null && size - 1 > stream.position) {
            schedule(stream);
        }
    }

    private static void endQuietly(Stream stream) {
        try {
            stream.sink.end();
        } catch (RuntimeException e) {
            LOG.debug("change feed: could not end a stream", e);
        }
    }

    /** One round of the poller: which tenants' logs grew, which streams are due a heartbeat or their end. */
    void poll() {
        if (byTenant.isEmpty()) {
            return;
        }
        List<String> tenants = byTenant.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey).toList();
        byTenant.entrySet().removeIf(e -> e.getValue().isEmpty());
        if (tenants.isEmpty()) {
            return;
        }
        sizes.putAll(log.heads(tenants));
        long now = System.nanoTime();
        for (String tenant : tenants) {
            long size = sizes.getOrDefault(tenant, 0L);
            for (Stream stream : byTenant.getOrDefault(tenant, Set.of())) {
                if (now - stream.openedNanos >= settings.streamDurationMax().toNanos()) {
                    if (stream.close()) {
                        endQuietly(stream);
                    }
                } else if (size - 1 > stream.position
                        || now - stream.lastSentNanos >= settings.heartbeatInterval().toNanos()) {
                    schedule(stream);
                }
            }
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            if (Outage.isDatabaseUnavailable(e)) {
                LOG.debug("change feed: the database is not available", e);
            } else {
                LOG.warn("change feed: polling failed", e);
            }
        }
    }

    /** Open streams on this node (metrics, tests). */
    public int openStreams() {
        return open.get();
    }

    @Override
    public synchronized void start() {
        AtomicInteger count = new AtomicInteger();
        senders = Executors.newFixedThreadPool(settings.senderThreads(), r -> {
            Thread t = new Thread(r, "feed-sender-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "feed-poller");
            t.setDaemon(true);
            return t;
        });
        long ms = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Ends every stream (its client resumes elsewhere or later), before the servers stop. */
    @Override
    public synchronized void stop() {
        ScheduledExecutorService p = poller;
        ExecutorService s = senders;
        poller = null;
        senders = null;
        if (p == null) {
            return;
        }
        p.shutdownNow();
        s.shutdown();
        for (Set<Stream> streams : byTenant.values()) {
            for (Stream stream : List.copyOf(streams)) {
                if (stream.close()) {
                    endQuietly(stream);
                }
            }
        }
        try {
            s.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }

    /** Stops before the web and gRPC servers wait for their open requests: streams would hold them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
