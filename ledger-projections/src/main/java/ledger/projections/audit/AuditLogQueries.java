package ledger.projections.audit;

import static ledger.projections.audit.AuditTables.AuditLog;
import static org.jooq.impl.DSL.max;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/** Reads of the audit log itself: sizes, tenants, and where an event is. */
public class AuditLogQueries {
    /** The most tenants one scheduler pass looks at. */
    public static final int TENANTS_MAX = 100_000;

    private final DSLContext dsl;

    public AuditLogQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** An event's place in its tenant's log: position and D[position]. */
    public record Entry(String tenant, long position, String eventId, byte[] hash) {
    }

    /** Number of events in the tenant's log (its highest position + 1): one index lookup. */
    public long size(String tenant) {
        Long last = dsl.select(max(AuditLog.POSITION)).from(AuditLog.T).where(AuditLog.TENANT.eq(tenant))
                .fetchOne(0, Long.class);
        return last == null ? 0 : last + 1;
    }

    /**
     * Every tenant with a non-empty log and its size, in one statement: a loose index scan for the
     * tenants (one probe a tenant, not a row scan) and one index lookup a tenant for its highest
     * position.
     */
    public Map<String, Long> sizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        dsl.resultQuery("""
                        WITH RECURSIVE t(tenant) AS (
                            (SELECT tenant FROM audit_log ORDER BY tenant LIMIT 1)
                            UNION ALL
                            SELECT (SELECT a.tenant FROM audit_log a WHERE a.tenant > t.tenant ORDER BY a.tenant LIMIT 1)
                            FROM t WHERE t.tenant IS NOT NULL)
                        SELECT tenant, (SELECT max(a.position) FROM audit_log a WHERE a.tenant = t.tenant)
                        FROM t WHERE tenant IS NOT NULL LIMIT {0}""",
                        org.jooq.impl.DSL.inline(TENANTS_MAX))
                .forEach(r -> sizes.put(r.get(0, String.class), r.get(1, Long.class) + 1));
        return sizes;
    }


    /**
     * The log sizes of {@code tenants} from their head rows (one index lookup each), for the change
     * feed's one poller per node; a tenant whose log is empty is absent.
     */
    public Map<String, Long> heads(java.util.Collection<String> tenants) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        if (tenants.isEmpty()) {
            return sizes;
        }
        dsl.resultQuery("SELECT tenant, size FROM audit_head WHERE tenant = ANY({0})",
                        org.jooq.impl.DSL.val(tenants.toArray(String[]::new)))
                .forEach(r -> sizes.put(r.get(0, String.class), r.get(1, Long.class)));
        return sizes;
    }

    /** The entry of {@code eventId} in {@code tenant}'s log; empty for another tenant's event. */
    public Optional<Entry> entry(String tenant, String eventId) {
        return dsl.select(AuditLog.TENANT, AuditLog.POSITION, AuditLog.EVENT_ID, AuditLog.HASH)
                .from(AuditLog.T)
                .where(AuditLog.EVENT_ID.eq(eventId), AuditLog.TENANT.eq(tenant))
                .fetchOptional(r -> new Entry(r.value1(), r.value2(), r.value3(), r.value4()));
    }
}
