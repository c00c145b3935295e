package ledger.api.ratelimit;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.api.signal.DatabaseSignals;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rate-limit plans as data ({@code rate_plan}, V14) and which plans a tenant has: read by {@link
 * RateLimiter}, changed by an operator at runtime. Every change is signalled to every node
 * ({@link #CHANGED_CHANNEL}) with its commit.
 */
@Component
public class RatePlans {
    static final String CHANGED_CHANNEL = "ledger_rate_plan_changed";
    public static final int PLANS_MAX = 1_000;

    private static final Table<Record> PLAN = table(name("rate_plan"));
    private static final Field<String> NAME = field(name("rate_plan", "name"), SQLDataType.VARCHAR);
    private static final Field<Long> CAPACITY = field(name("rate_plan", "capacity"), SQLDataType.BIGINT);
    private static final Field<Long> REFILL_TOKENS = field(name("rate_plan", "refill_tokens"), SQLDataType.BIGINT);
    private static final Field<Long> REFILL_PERIOD_MS = field(name("rate_plan", "refill_period_ms"), SQLDataType.BIGINT);
    private static final Field<Long> VERSION = field(name("rate_plan", "version"), SQLDataType.BIGINT);
    private static final Field<OffsetDateTime> UPDATED = field(name("rate_plan", "updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    private static final Table<Record> TENANT = table(name("tenant"));
    private static final Field<String> TENANT_ID = field(name("tenant", "id"), SQLDataType.VARCHAR);
    private static final Field<String> TENANT_PLAN = field(name("tenant", "tenant_plan"), SQLDataType.VARCHAR);
    private static final Field<String> KEY_PLAN = field(name("tenant", "key_plan"), SQLDataType.VARCHAR);
    private static final Field<Long> PLANS_VERSION = field(name("tenant", "plans_version"), SQLDataType.BIGINT);
    private static final Field<Long> NEXT_VERSION = org.jooq.impl.DSL.field("nextval('rate_plan_version')",
            SQLDataType.BIGINT);

    private final DSLContext dsl;
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RatePlans(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Runs {@code listener} after a change of this node commits (other nodes hear the signal). */
    void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    private void signal(String payload) {
        DatabaseSignals.notify(dsl, CHANGED_CHANNEL, payload);
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        changeListeners.forEach(Runnable::run);
                    }
                });
    }

    /** A token bucket: {@code capacity} tokens, {@code refillTokens} more every {@code refillPeriodMs}. */
    public record Plan(String name, long capacity, long refillTokens, long refillPeriodMs, long version,
                       OffsetDateTime updatedAt) {
    }

    /**
     * The plan limiting the tenant as a whole and the one limiting each of its keys; {@code version}
     * changes whenever either plan or the assignment does.
     */
    public record TenantPlans(String tenant, Plan tenantPlan, Plan keyPlan, long assignedVersion) {
        public long version(Plan plan) {
            return Math.max(plan.version(), assignedVersion);
        }
    }

    public List<Plan> list() {
        return dsl.select(NAME, CAPACITY, REFILL_TOKENS, REFILL_PERIOD_MS, VERSION, UPDATED).from(PLAN)
                .orderBy(NAME).limit(PLANS_MAX).fetch(r -> new Plan(r.value1(), r.value2(), r.value3(), r.value4(),
                        r.value5(), r.value6()));
    }

    public Optional<TenantPlans> ofTenant(String tenant) {
        var t = dsl.select(TENANT_PLAN, KEY_PLAN, PLANS_VERSION).from(TENANT).where(TENANT_ID.eq(tenant)).fetchOne();
        if (t == null) {
            return Optional.empty();
        }
        return Optional.of(new TenantPlans(tenant, plan(t.value1()).orElseThrow(), plan(t.value2()).orElseThrow(),
                t.value3()));
    }

    private Optional<Plan> plan(String name) {
        return dsl.select(NAME, CAPACITY, REFILL_TOKENS, REFILL_PERIOD_MS, VERSION, UPDATED).from(PLAN)
                .where(NAME.eq(name)).fetchOptional(r -> new Plan(r.value1(), r.value2(), r.value3(), r.value4(),
                        r.value5(), r.value6()));
    }

    /** Creates the plan or changes it (its version goes up); every node applies it from the commit on. */
    @Transactional
    public Plan put(String name, long capacity, long refillTokens, long refillPeriodMs) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Plan plan = dsl.insertInto(PLAN).set(NAME, name).set(CAPACITY, capacity).set(REFILL_TOKENS, refillTokens)
                .set(REFILL_PERIOD_MS, refillPeriodMs).set(VERSION, NEXT_VERSION).set(UPDATED, now)
                .onConflict(NAME).doUpdate()
                .set(CAPACITY, capacity).set(REFILL_TOKENS, refillTokens).set(REFILL_PERIOD_MS, refillPeriodMs)
                .set(VERSION, NEXT_VERSION).set(UPDATED, now)
                .returningResult(NAME, CAPACITY, REFILL_TOKENS, REFILL_PERIOD_MS, VERSION, UPDATED)
                .fetchOne(r -> new Plan(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
        signal("plan:" + name);
        return plan;
    }

    /** Gives the tenant these plans (null: keep); refused for an unknown tenant or plan. */
    @Transactional
    public TenantPlans assign(String tenant, String tenantPlan, String keyPlan) {
        for (String plan : new String[] {tenantPlan, keyPlan}) {
            if (plan != null && plan(plan).isEmpty()) {
                throw Refusal.notFound(Codes.RATE_PLAN_NOT_FOUND, "there is no rate-limit plan " + plan);
            }
        }
        var update = dsl.update(TENANT).set(TENANT_PLAN, tenantPlan != null ? org.jooq.impl.DSL.val(tenantPlan) : TENANT_PLAN)
                .set(KEY_PLAN, keyPlan != null ? org.jooq.impl.DSL.val(keyPlan) : KEY_PLAN)
                .set(PLANS_VERSION, NEXT_VERSION)
                .where(TENANT_ID.eq(tenant));
        if (update.execute() == 0) {
            throw Refusal.notFound(Codes.TENANT_NOT_FOUND, "there is no tenant " + tenant);
        }
        signal("tenant:" + tenant);
        return ofTenant(tenant).orElseThrow();
    }
}
