package ledger.projections.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import ledger.audit.Sha256;
import ledger.audit.merkle.CompactRange;
import ledger.domain.seal.AuditKeys;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import ledger.projections.Jdbc;
import org.jooq.DSLContext;

/**
 * Works out the audit-log positions of a transaction's events and the Merkle nodes the new leaves
 * complete (docs/audit-chain.md, the per-tenant log), for {@code TransactionWrites} to write in the
 * transaction that appends the events: an acknowledged write is in its tenant's log, and a
 * checkpoint issued after it includes it.
 *
 * <p>Positions follow commit order. A transaction that appends to a tenant's log holds the tenant
 * from its append until it has committed or rolled back: in this JVM by a lock, across nodes by the
 * tenant's {@code audit_head} row, which it moves from the size it found (and which stays locked
 * until it ends). The tenant's Merkle frontier is kept in memory; when the head is not where this
 * JVM left it (another node appended), it is rebuilt from the stored nodes. A rollback drops it.
 */
public class AuditLogAppender {
    private static final String HELD = AuditLogAppender.class.getName() + ".held";
    /** The longest a transaction waits for a tenant's log held by another of this JVM (then it is a conflict). */
    static final long LOCK_WAIT_MS = 2_000;
    /** The head row of a tenant, created at 0 when missing, locked until the transaction ends. */
    private static final String CREATE_HEAD = "INSERT INTO audit_head (tenant, size) VALUES (?, 0) ON CONFLICT DO NOTHING";
    private static final String LOCK_HEAD = "SELECT size FROM audit_head WHERE tenant = ? FOR UPDATE";

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

    /** One event as the log needs it: its id and D[i], the 32 bytes of its envelope hash. */
    public record Leaf(String eventId, byte[] hash) {
    }

    /** Leaves by tenant, tenants in name order (the order their logs are locked in). */
    public static Map<String, List<Leaf>> leaves(List<? extends EventMessage<?>> events) {
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
        return byTenant;
    }

    /**
     * A tenant's append worked out in memory: where its log stands as this JVM knows it ({@code from},
     * -1 if unknown), the frontier after the append, and the rows to write.
     */
    public record Prepared(String tenant, long from, int count, CompactRange next, Rows rows) {
    }

    /**
     * Holds the tenants' logs for the root unit of work (until it ends) and works out each append
     * from the frontier this JVM knows. The head is not touched: the caller moves it from
     * {@code from} in the statement that writes the rows, or calls {@link #lockHeads} when it could not.
     */
    public List<Prepared> prepare(Map<String, List<Leaf>> byTenant) {
        Map<String, Tenant> held = held(CurrentUnitOfWork.get().root());
        List<Prepared> prepared = new ArrayList<>(byTenant.size());
        byTenant.forEach((tenant, leaves) -> {
            Tenant t = hold(tenant, held);
            CompactRange next = t.frontier == null ? null : t.frontier.copy();
            long from = next == null ? -1 : next.size();
            prepared.add(new Prepared(tenant, from, leaves.size(), next, next == null ? null : rows(tenant, leaves, next)));
        });
        return prepared;
    }

    /**
     * The slow way, when a head was not where this JVM thought (another node appended, or the tenant's
     * first append here): locks each tenant's head row until the transaction ends, rebuilds the
     * frontier where it stands, and works the appends out again.
     */
    public List<Prepared> lockHeads(Map<String, List<Leaf>> byTenant) {
        Map<String, Tenant> held = held(CurrentUnitOfWork.get().root());
        List<Prepared> prepared = new ArrayList<>(byTenant.size());
        byTenant.forEach((tenant, leaves) -> {
            Tenant t = hold(tenant, held);
            Jdbc.queryLongs(dsl, CREATE_HEAD + " RETURNING size", tenant);
            Long from = Jdbc.queryLong(dsl, LOCK_HEAD, tenant);
            check(from != null && from >= 0, "the audit head of " + tenant + " is readable");
            if (t.frontier == null || t.frontier.size() != from) {
                t.frontier = restore(tenant, from); // the other writer's nodes are committed: we hold the head
            }
            CompactRange next = t.frontier.copy();
            prepared.add(new Prepared(tenant, from, leaves.size(), next, rows(tenant, leaves, next)));
        });
        return prepared;
    }

    /** The appends were written: the frontiers move on (a rollback later drops them). */
    public void written(List<Prepared> prepared) {
        Map<String, Tenant> held = held(CurrentUnitOfWork.get().root());
        prepared.forEach(p -> held.get(p.tenant()).frontier = p.next());
    }

    private Map<String, Tenant> held(UnitOfWork<?> unitOfWork) {
        return unitOfWork.getOrComputeResource(HELD, k -> {
            Map<String, Tenant> map = new LinkedHashMap<>();
            unitOfWork.onRollback(u -> map.values().forEach(t -> t.frontier = null));
            unitOfWork.onCleanup(u -> map.values().forEach(t -> t.lock.unlock()));
            return map;
        });
    }

    private Tenant hold(String tenant, Map<String, Tenant> held) {
        Tenant t = held.get(tenant);
        if (t == null) {
            t = tenants.computeIfAbsent(tenant, k -> new Tenant());
            // This transaction has written rows already (its events; a command outside a batch also its
            // account lines and answer), and the holder may wait for a row another node's transaction holds
            // while that one waits for ours: PostgreSQL cannot see this lock, so a wait without end could close
            // a deadlock across nodes. Waiting a bounded time and failing as a conflict breaks it.
            try {
                if (!t.lock.tryLock(LOCK_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    throw new LockAcquisitionFailedException("the audit log of " + tenant + " was busy for "
                            + LOCK_WAIT_MS + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockAcquisitionFailedException("interrupted while waiting for the audit log of " + tenant);
            }
            held.put(tenant, t);
        }
        return t;
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

    /** The arrays of one tenant's log rows and stored nodes. */
    public record Rows(Jdbc.Array tenant, Jdbc.Array positions, Jdbc.Array ids, Jdbc.Array hashes,
                        Jdbc.Array nodeTenant, Jdbc.Array levels, Jdbc.Array indexes, Jdbc.Array nodeHashes) {
    }

    private static Jdbc.Array text(String[] values) {
        return new Jdbc.Array("varchar", values);
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
