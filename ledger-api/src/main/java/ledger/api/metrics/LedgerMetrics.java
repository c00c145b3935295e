package ledger.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's business meters, one place for their names (Prometheus names in brackets; the
 * Grafana dashboard in {@code ops/grafana} queries exactly these, checked by MetricsIT):
 * <ul>
 *   <li>{@code ledger.commands} [{@code ledger_commands_total}] by {@code command} (its type) and
 *       {@code outcome}: done, replayed, existed (a retry by id), refused, not_sent, unavailable, failed;</li>
 *   <li>{@code ledger.refusals} [{@code ledger_refusals_total}] by stable {@code code};</li>
 *   <li>{@code ledger.group_commit.batch} [{@code ledger_group_commit_batch_commands_*}]: commands per
 *       group-commit batch; {@code ledger.group_commit.commit} [{@code ledger_group_commit_commit_seconds_*}]:
 *       a batch from its first command to its commit, with histogram buckets;</li>
 *   <li>{@code ledger.events.appended} [{@code ledger_events_appended_total}];</li>
 *   <li>{@code ledger.audit.log.size} [{@code ledger_audit_log_size}] by {@code tenant}: the audit log's
 *       size, which is also every read model's position (they are written in the events' transaction);</li>
 *   <li>{@code ledger.audit.checkpoint.age} [{@code ledger_audit_checkpoint_age_seconds}] by {@code tenant}:
 *       time since the tenant's latest signed checkpoint.</li>
 * </ul>
 */
public final class LedgerMetrics {
    private final MeterRegistry registry;
    private final Clock clock;
    private final DistributionSummary batchSize;
    private final Timer commit;
    private final Counter eventsAppended;
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> logSizes = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Instant>> checkpoints = new ConcurrentHashMap<>();

    public LedgerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.batchSize = DistributionSummary.builder("ledger.group_commit.batch").baseUnit("commands")
                .description("commands per group-commit batch (one unit of work, one transaction)")
                .register(registry);
        this.commit = Timer.builder("ledger.group_commit.commit")
                .description("a group-commit batch from its start to its commit (or rollback)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.eventsAppended = Counter.builder("ledger.events.appended").description("events appended to the event store")
                .register(registry);
    }

    /** Meters for tests and for code without a registry: counts nowhere. */
    public static LedgerMetrics none() {
        return new LedgerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** Counted per command on the answer's path: each counter is looked up in the registry once. */
    public void command(String command, String outcome) {
        commands.computeIfAbsent(command + '\n' + outcome,
                k -> registry.counter("ledger.commands", "command", command, "outcome", outcome)).increment();
    }

    public void refusal(String code) {
        refusals.computeIfAbsent(code, k -> registry.counter("ledger.refusals", "code", code)).increment();
    }

    public void batch(int commands, long nanos) {
        batchSize.record(commands);
        commit.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void eventsAppended(int events) {
        eventsAppended.increment(events);
    }

    public void auditLogSize(String tenant, long size) {
        logSizes.computeIfAbsent(tenant, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("ledger.audit.log.size", value, AtomicLong::get).tag("tenant", t)
                    .description("the tenant's audit-log size; also every read model's position").register(registry);
            return value;
        }).set(size);
    }

    public void checkpointIssued(String tenant, Instant issuedAt) {
        checkpoints.computeIfAbsent(tenant, t -> {
            AtomicReference<Instant> latest = new AtomicReference<>(issuedAt);
            Gauge.builder("ledger.audit.checkpoint.age", latest,
                            l -> Duration.between(l.get(), clock.instant()).toMillis() / 1000.0)
                    .tag("tenant", t).baseUnit("seconds")
                    .description("time since the tenant's latest signed checkpoint").register(registry);
            return latest;
        }).accumulateAndGet(issuedAt, (a, b) -> b.isAfter(a) ? b : a);
    }
}
