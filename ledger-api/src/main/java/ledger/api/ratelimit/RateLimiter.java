package ledger.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import ledger.api.command.Outage;
import ledger.api.ratelimit.RatePlans.Plan;
import ledger.api.ratelimit.RatePlans.TenantPlans;
import ledger.api.security.Caller;
import ledger.api.signal.DatabaseSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Token-bucket limits per API key and per tenant (docs/rate-limits.md), one request one token, shared
 * by every node through Bucket4j's buckets in PostgreSQL ({@code rate_limit_bucket}).
 *
 * <p>The write path must not pay a database round trip per request for this, so a node does not ask
 * the shared bucket for every request: it reserves a chunk of tokens at once (one round trip) and
 * hands them out locally until they are used up or {@code reservationTtl} has passed. The limit is
 * still one limit across nodes and never exceeded (a token is taken from the shared bucket before it
 * is handed out); the price is that tokens a node reserved and did not use are lost to the others
 * until the bucket refills, at most one chunk per node and bucket. The chunk is a fraction of the
 * plan's capacity ({@code chunkFraction}, at most {@code chunkMax}), so a small plan is enforced
 * token by token and a large one costs a round trip per thousand requests.
 */
@Component
public class RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /**
     * @param enabled        whether limits apply at all
     * @param chunkMax       the most tokens a node reserves at once from a shared bucket
     * @param chunkFraction  a chunk is capacity / chunkFraction tokens (at least 1, at most chunkMax)
     * @param reservationTtl reserved tokens a node has not handed out by then are dropped
     */
    @ConfigurationProperties(prefix = "ledger.rate-limits")
    public record Settings(@DefaultValue("true") boolean enabled, @DefaultValue("1000") long chunkMax,
                           @DefaultValue("100") long chunkFraction, @DefaultValue("1s") Duration reservationTtl) {
        public Settings {
            if (chunkMax < 1 || chunkFraction < 1 || reservationTtl.toMillis() < 1) {
                throw new IllegalArgumentException("ledger.rate-limits: chunk-max, chunk-fraction and"
                        + " reservation-ttl must be positive");
            }
        }
    }

    /** What a request may do. */
    public sealed interface Decision permits Allowed, Limited {
    }

    public record Allowed() implements Decision {
    }

    /**
     * Over the limit of {@code scope} ("api key" or "tenant"): {@code limit} tokens of the plan,
     * the next available in {@code retryAfterMs}.
     */
    public record Limited(String scope, String plan, long limit, long retryAfterMs) implements Decision {
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfterMs + 999) / 1000);
        }

        public String detail() {
            return "the " + scope + " is over its rate limit (plan " + plan + ": " + limit
                    + " requests); try again in " + retryAfterSeconds() + " s";
        }
    }

    private static final Allowed ALLOWED = new Allowed();

    private final RatePlans plans;
    private final Settings settings;
    private final ProxyManager<String> buckets;
    private final Cache<String, Optional<TenantPlans>> byTenant = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(30)).build();
    private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();
    private volatile boolean cacheTrusted;

    public RateLimiter(RatePlans plans, Settings settings, DataSource dataSource, DatabaseSignals signals) {
        this.plans = plans;
        this.settings = settings;
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket").idColumn("id").stateColumn("state")
                .build();
        plans.onChange(this::forget);
        signals.subscribe(RatePlans.CHANGED_CHANNEL, new DatabaseSignals.Listener() {
            @Override
            public void signal(String payload) {
                forget();
            }

            @Override
            public void lost() {
                cacheTrusted = false;
                forget();
            }

            @Override
            public void listening() {
                forget();
                cacheTrusted = true;
            }
        });
    }

    /**
     * Plans changed: read them again; tokens already reserved are dropped. The shared bucket takes the
     * new plan when next used, ADDITIVE: a larger capacity adds the difference at once, a smaller one
     * takes it away.
     */
    private void forget() {
        byTenant.invalidateAll();
        allowances.clear();
    }

    /** Takes a token of the caller's key and of its tenant, or says which limit refuses and for how long. */
    public Decision take(Caller caller) {
        if (!settings.enabled()) {
            return ALLOWED;
        }
        try {
            Optional<TenantPlans> tenantPlans = cacheTrusted
                    ? byTenant.get(caller.tenant(), plans::ofTenant) : plans.ofTenant(caller.tenant());
            if (tenantPlans.isEmpty()) {
                return ALLOWED; // a key without a tenant does not authenticate; nothing to limit
            }
            TenantPlans p = tenantPlans.get();
            Allowance key = allowance("k:" + caller.keyId(), p.keyPlan(), p.version(p.keyPlan()));
            long keyWait = key.take();
            if (keyWait > 0) {
                return new Limited("api key", p.keyPlan().name(), p.keyPlan().capacity(), keyWait);
            }
            Allowance tenant = allowance("t:" + caller.tenant(), p.tenantPlan(), p.version(p.tenantPlan()));
            long tenantWait = tenant.take();
            if (tenantWait > 0) {
                key.giveBack();
                return new Limited("tenant", p.tenantPlan().name(), p.tenantPlan().capacity(), tenantWait);
            }
            return ALLOWED;
        } catch (RuntimeException e) {
            if (!Outage.isDatabaseUnavailable(e)) {
                throw e;
            }
            // the request will meet the same outage and be answered database_unavailable
            LOG.debug("rate limits: the database is not available, not limiting", e);
            return ALLOWED;
        }
    }

    private Allowance allowance(String id, Plan plan, long version) {
        Allowance a = allowances.computeIfAbsent(id, k -> new Allowance(id, plan, version));
        if (a.version != version) {
            Allowance fresh = new Allowance(id, plan, version);
            allowances.put(id, fresh);
            return fresh;
        }
        return a;
    }

    static BucketConfiguration configuration(Plan plan) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(plan.capacity())
                        .refillGreedy(plan.refillTokens(), Duration.ofMillis(plan.refillPeriodMs())).build())
                .build();
    }

    /** How many tokens a node reserves at once for {@code plan}. */
    long chunk(Plan plan) {
        return Math.max(1, Math.min(settings.chunkMax(), plan.capacity() / settings.chunkFraction()));
    }

    /** The tokens of one bucket this node has reserved and not yet handed out. */
    private final class Allowance {
        private final String id;
        private final Plan plan;
        /** The bucket's configuration version: changes with the plan and with the tenant's assignment. */
        private final long version;
        private long tokens;
        private long expiresNanos;

        Allowance(String id, Plan plan, long version) {
            this.id = id;
            this.plan = plan;
            this.version = version;
        }

        /** Takes a token: 0 when taken, else the milliseconds until the shared bucket has one. */
        synchronized long take() {
            long now = System.nanoTime();
            if (tokens > 0 && now - expiresNanos < 0) {
                tokens--;
                return 0;
            }
            BucketProxy bucket = buckets.builder()
                    .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.ADDITIVE)
                    .build(id, () -> configuration(plan));
            long got = bucket.tryConsumeAsMuchAsPossible(chunk(plan));
            if (got > 0) {
                tokens = got - 1;
                expiresNanos = now + settings.reservationTtl().toNanos();
                return 0;
            }
            tokens = 0;
            long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            return Math.max(1, (nanos + 999_999) / 1_000_000);
        }

        /** A token taken for a request that another limit refused. */
        synchronized void giveBack() {
            if (System.nanoTime() - expiresNanos < 0) {
                tokens++;
            }
        }
    }
}
