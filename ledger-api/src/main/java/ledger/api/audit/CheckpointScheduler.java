package ledger.api.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import ledger.api.metrics.LedgerMetrics;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ledger.audit.Ts6;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.projections.audit.AuditLogQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * Issues each tenant's checkpoint once its log has grown by {@code checkpointEvents} since the last
 * one, or has grown at all and {@code checkpointInterval} has passed. One scheduler thread; issuance
 * itself is serialised per tenant in the database, so several nodes may run this.
 */
public class CheckpointScheduler implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointScheduler.class);
    static final long TICK_MS_MAX = 1000;
    static final long TICK_MS_MIN = 50;

    private final CheckpointService checkpoints;
    private final AuditLogQueries log;
    private final long eventsMax;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final LedgerMetrics metrics;
    private ScheduledExecutorService executor;

    public CheckpointScheduler(CheckpointService checkpoints, AuditLogQueries log, long eventsMax, Duration interval,
                               Clock clock, LedgerMetrics metrics) {
        this.metrics = metrics;
        if (eventsMax < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("ledger.audit.checkpoint-events must be >= 1 and "
                    + "checkpoint-interval positive, got " + eventsMax + " and " + interval);
        }
        this.checkpoints = checkpoints;
        this.log = log;
        this.eventsMax = eventsMax;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-checkpoints");
            t.setDaemon(true);
            return t;
        });
        long tickMs = Math.max(TICK_MS_MIN, Math.min(TICK_MS_MAX, interval.toMillis() / 2));
        executor.scheduleWithFixedDelay(this::tickSafely, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /**
     * Checkpoints every tenant that is due; returns how many were issued. One query reads every
     * tenant's log size; a tenant's latest checkpoint is read only when what this scheduler last saw
     * of it leaves the tenant possibly due, so idle tenants cost no query of their own.
     */
    public int tick() {
        int issued = 0;
        for (Map.Entry<String, Long> tenant : log.sizes().entrySet()) {
            metrics.auditLogSize(tenant.getKey(), tenant.getValue());
            Seen seen = this.seen.get(tenant.getKey());
            if (seen != null && !due(seen, tenant.getValue())) {
                continue;
            }
            if (tick(tenant.getKey(), tenant.getValue())) {
                issued++;
            }
        }
        return issued;
    }

    /** Issues the tenant's checkpoint if its log grew and enough events or time have passed; true if issued. */
    public boolean tick(String tenant) {
        return tick(tenant, log.size(tenant));
    }

    private boolean tick(String tenant, long size) {
        Optional<SignedCheckpoint> latest = checkpoints.latest(tenant);
        boolean due = latest.isPresent() ? due(remember(tenant, latest.get()), size) : size > 0;
        if (!due) {
            return false;
        }
        CheckpointService.Issued issued = checkpoints.atSize(tenant, size);
        remember(tenant, issued.signed());
        return issued.created();
    }

    private Seen remember(String tenant, SignedCheckpoint latest) {
        Instant issuedAt = Ts6.parse(latest.checkpoint().issuedAt());
        metrics.checkpointIssued(tenant, issuedAt);
        Seen seen = new Seen(latest.checkpoint().treeSize(), issuedAt.plus(interval));
        this.seen.put(tenant, seen);
        return seen;
    }

    /**
     * A tenant's latest checkpoint as this scheduler last read or issued it. Checkpoints are only
     * ever added (here or by another node), so the real latest is at least this recent: a tenant
     * that is not due by it is not due.
     */
    private record Seen(long treeSize, Instant dueBy) {
    }

    /** Whether a log of {@code size} is due a checkpoint after {@code latest}: grown by enough events, or enough time. */
    private boolean due(Seen latest, long size) {
        return size > latest.treeSize()
                && (size - latest.treeSize() >= eventsMax || !latest.dueBy().isAfter(clock.instant()));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (DataAccessException e) {
            LOG.warn("audit checkpoints: the database failed, trying again next tick: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("audit checkpoints: cannot issue", e);
        }
    }
}
