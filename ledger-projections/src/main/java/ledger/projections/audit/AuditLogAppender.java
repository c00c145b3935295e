package ledger.projections.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import ledger.audit.Sha256;
import ledger.audit.merkle.CompactRange;
import ledger.domain.seal.AuditKeys;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import ledger.projections.Jdbc;
import org.jooq.DSLContext;

/**
 * Gives every event the next dense position of its tenant's audit log, and stores the Merkle nodes
 * the new leaves complete (AUDIT-CHAIN.md section 2), in the transaction that appends the events:
 * an acknowledged write is in its tenant's log, and a checkpoint issued after it includes it.
 *
 * <p>Positions follow commit order. A transaction that appends to a tenant's log holds the tenant
 * from its append until it has committed or rolled back: in this JVM by a lock, across nodes by the
 * row of {@code audit_head} it updates first ({@code size = size + n}, which also says where its
 * positions start). The tenant's Merkle frontier is kept in memory; when {@code audit_head} says
 * another node appended meanwhile, it is rebuilt from the stored nodes. A rollback drops it.
 */
public class AuditLogAppender {
    private static final String HELD = AuditLogAppender.class.getName() + ".held";
    private static final String ADVANCE_HEAD = """
            INSERT INTO audit_head AS h (tenant, size) VALUES (?, ?)
            ON CONFLICT (tenant) DO UPDATE SET size = h.size + excluded.size
            RETURNING h.size - ?""";
    /** Moves the head from {@code size} (param 3) by n (param 1) and writes rows and nodes; nothing if it is not there. */
    private static final String APPEND_AT_HEAD = """
            WITH head AS (
                UPDATE audit_head SET size = size + ? WHERE tenant = ? AND size = ? RETURNING size),
            log AS (
                INSERT INTO audit_log (tenant, position, global_index, event_id, hash)
                SELECT u.tenant, u.position, e.global_index, u.event_id, decode(u.hex, 'hex')
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[]) AS u(tenant, position, event_id, hex)
                JOIN domain_event_entry e ON e.event_identifier = u.event_id
                WHERE EXISTS (SELECT 1 FROM head)
                RETURNING 1),
            nodes AS (
                INSERT INTO audit_merkle_node (tenant, level, idx, hash)
                SELECT u.tenant, u.level, u.idx, decode(u.hex, 'hex')
                FROM unnest(?::varchar[], ?::smallint[], ?::bigint[], ?::varchar[]) AS u(tenant, level, idx, hex)
                WHERE EXISTS (SELECT 1 FROM head)
                RETURNING 1)
            SELECT (SELECT count(*) FROM head), (SELECT count(*) FROM log), (SELECT count(*) FROM nodes)""";
    private static final String INSERT_NODES = """
            INSERT INTO audit_merkle_node (tenant, level, idx, hash)
            SELECT u.tenant, u.level, u.idx, decode(u.hex, 'hex')
            FROM unnest(?::varchar[], ?::smallint[], ?::bigint[], ?::varchar[]) AS u(tenant, level, idx, hex)""";
    private static final String INSERT_LOG = """
            INSERT INTO audit_log (tenant, position, global_index, event_id, hash)
            SELECT u.tenant, u.position, e.global_index, u.event_id, h.hash
            FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[]) AS u(tenant, position, event_id, hex)
            CROSS JOIN LATERAL (SELECT decode(u.hex, 'hex') AS hash) h
            JOIN domain_event_entry e ON e.event_identifier = u.event_id""";

    private final DSLContext dsl;
    private final MerkleNodeStore nodes;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    private static final class Tenant {
        final ReentrantLock lock = new ReentrantLock();
        /** Guarded by lock; null: rebuild from the database. */
        CompactRange frontier;
    }

    public AuditLogAppender(DSLContext dsl, MerkleNodeStore nodes) {
        this.dsl = dsl;
        this.nodes = nodes;
            }

    private record Leaf(String eventId, byte[] hash) {
    }

    /**
     * Appends the events (just appended to the event store, in this transaction) to their tenants'
     * logs, tenants in name order. Must run inside the unit of work whose transaction appended them.
     */
    public void append(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) {
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        Map<String, List<Leaf>> byTenant = new java.util.TreeMap<>();
        for (EventMessage<?> event : events) {
            MetaData meta = event.getMetaData();
            String tenant = required(meta, AuditKeys.TENANT, event);
            String eventId = required(meta, AuditKeys.EVENT_ID, event);
            String hash = required(meta, AuditKeys.HASH, event);
            check(eventId.equals(event.getIdentifier()), "event " + event.getIdentifier() + " is stored under its eventId");
            check(Sha256.isHex(hash, 32), "event " + eventId + " carries a 64-hex hash");
            byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new Leaf(eventId, Sha256.unhex(hash)));
        }
        Map<String, Tenant> held = unitOfWork.getOrComputeResource(HELD, k -> {
            Map<String, Tenant> map = new LinkedHashMap<>();
            unitOfWork.onRollback(u -> map.values().forEach(t -> t.frontier = null));
            unitOfWork.onCleanup(u -> map.values().forEach(t -> t.lock.unlock()));
            return map;
        });
        byTenant.forEach((tenant, leaves) -> appendTenant(tenant, leaves, held));
    }

    private void appendTenant(String tenant, List<Leaf> leaves, Map<String, Tenant> held) {
        Tenant t = held.get(tenant);
        if (t == null) {
            t = tenants.computeIfAbsent(tenant, k -> new Tenant());
            t.lock.lock();
            held.put(tenant, t);
        }
        int n = leaves.size();
        if (t.frontier != null) {
            // The usual case: this JVM appended last. One statement moves the head from the size we
            // know and writes the log rows and stored nodes; if the head is elsewhere, it writes nothing.
            CompactRange next = t.frontier.copy();
            Rows rows = rows(tenant, leaves, next);
            long[] written = Jdbc.queryLongs(dsl, APPEND_AT_HEAD, (long) n, tenant, t.frontier.size(),
                    rows.tenant(), rows.positions(), rows.ids(), rows.hashes(), rows.nodeTenant(), rows.levels(),
                    rows.indexes(), rows.nodeHashes());
            if (written[0] == 1) {
                check(written[1] == n, "all " + n + " events of " + tenant + " are in the event store and got a position");
                t.frontier = next;
                return;
            }
        }
        // First append of this tenant in this JVM, or another node appended since: take the head row
        // (it stays locked until this transaction ends), and rebuild the frontier where it stands.
        Long from = Jdbc.queryLong(dsl, ADVANCE_HEAD, tenant, (long) n, (long) n);
        check(from != null && from >= 0, "the audit head of " + tenant + " moved");
        if (t.frontier == null || t.frontier.size() != from) {
            t.frontier = restore(tenant, from); // the other writer's nodes are committed: we hold the head
        }
        CompactRange next = t.frontier.copy();
        Rows rows = rows(tenant, leaves, next);
        int inserted = Jdbc.update(dsl, INSERT_LOG, rows.tenant(), rows.positions(), rows.ids(), rows.hashes());
        check(inserted == n, "all " + n + " events of " + tenant + " are in the event store and got a position");
        Jdbc.update(dsl, INSERT_NODES, rows.nodeTenant(), rows.levels(), rows.indexes(), rows.nodeHashes());
        t.frontier = next;
    }

    /** The log rows and the stored nodes of appending {@code leaves} to {@code range} (which it advances). */
    private static Rows rows(String tenant, List<Leaf> leaves, CompactRange range) {
        int n = leaves.size();
        String[] tenants = new String[n];
        Long[] positions = new Long[n];
        String[] ids = new String[n];
        String[] hashes = new String[n];
        List<CompactRange.Node> stored = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Leaf leaf = leaves.get(i);
            tenants[i] = tenant;
            positions[i] = range.size();
            ids[i] = leaf.eventId();
            hashes[i] = Sha256.hex(leaf.hash());
            for (CompactRange.Node node : range.appendCompleted(leaf.hash())) {
                if (node.position().level() >= MerkleNodeStore.STORED_LEVEL_MIN) {
                    stored.add(node);
                }
            }
        }
        int m = stored.size();
        String[] nodeTenant = new String[m];
        Short[] levels = new Short[m];
        Long[] indexes = new Long[m];
        String[] nodeHashes = new String[m];
        for (int i = 0; i < m; i++) {
            nodeTenant[i] = tenant;
            levels[i] = (short) stored.get(i).position().level();
            indexes[i] = stored.get(i).position().index();
            nodeHashes[i] = Sha256.hex(stored.get(i).hash());
        }
        return new Rows(text(tenants), new Jdbc.Array("int8", positions), text(ids), text(hashes), text(nodeTenant),
                new Jdbc.Array("int2", levels), new Jdbc.Array("int8", indexes), text(nodeHashes));
    }

    private record Rows(Jdbc.Array tenant, Jdbc.Array positions, Jdbc.Array ids, Jdbc.Array hashes,
                        Jdbc.Array nodeTenant, Jdbc.Array levels, Jdbc.Array indexes, Jdbc.Array nodeHashes) {
    }

    private static Jdbc.Array text(String[] values) {
        return new Jdbc.Array("varchar", values);
    }

    /** The current size of a tenant's log as this JVM last appended it, for tests; -1 if unknown. */
    public long knownSize(String tenant) {
        Tenant t = tenants.get(tenant);
        CompactRange f = t == null ? null : t.frontier;
        return f == null ? -1 : f.size();
    }

    /** Forgets every frontier (tests that change the log by hand). */
    public void forgetFrontiers() {
        tenants.values().forEach(t -> {
            t.lock.lock();
            try {
                t.frontier = null;
            } finally {
                t.lock.unlock();
            }
        });
    }

    /** The tenant's range of {@code size} leaves, from its stored (or folded) frontier nodes. */
    private CompactRange restore(String tenant, long size) {
        List<NodeKey> keys = CompactRange.frontier(size).stream().map(NodeKey::of).toList();
        Map<NodeKey, byte[]> stored = nodes.fetch(tenant, keys);
        List<byte[]> roots = new ArrayList<>(keys.size());
        for (NodeKey key : keys) {
            byte[] hash = stored.get(key);
            if (hash == null) {
                throw new IllegalStateException("frontier node " + key + " of " + tenant + " at size " + size
                        + " is not stored");
            }
            roots.add(hash);
        }
        return CompactRange.of(size, roots);
    }

    private static String required(MetaData meta, String key, EventMessage<?> event) {
        Object value = meta.get(key);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new IllegalStateException("event " + event.getIdentifier() + " (" + event.getPayloadType().getName()
                    + ") is not sealed: metadata \"" + key + "\" is missing");
        }
        return s;
    }

    private static void check(boolean condition, String why) {
        if (!condition) {
            throw new IllegalStateException("invariant violated: " + why);
        }
    }
}
