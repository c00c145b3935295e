package ledger.projections.audit;

import static ledger.projections.audit.AuditTables.AuditLog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ledger.audit.Sha256;
import ledger.domain.seal.AuditKeys;
import ledger.projections.PerBatch;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep5;
import org.jooq.Record;

/**
 * Gives every committed event the next dense position of its tenant's audit log and stores the
 * larger Merkle nodes the new leaf completes (AUDIT-CHAIN.md section 2; see {@link MerkleNodeStore}).
 *
 * <p>Runs in its own streaming processor with one segment, so events arrive in the event store's
 * order, gaps resolved by the gap-aware token before they are handed over. The events of one
 * processor batch are collected and written when the batch's transaction prepares to commit: a
 * query for the ids already logged (only where one may be, see {@link #checkFirst}), one multi-row
 * insert for the log and one for the nodes. A replayed event is recognised by its event id and
 * changes nothing (no position is used, the log does not advance). The per-tenant frontier lives
 * in memory, is rebuilt from the stored nodes on first use after a start, and is dropped when the
 * batch's transaction rolls back.
 */
@ProcessingGroup(AuditLogProjection.PROCESSING_GROUP)
public class AuditLogProjection {
    public static final String PROCESSING_GROUP = "audit-log";
    /** Rows per audit_log insert statement (5 bind values each). */
    static final int INSERT_ROWS_MAX = 1000;
    private static final String PENDING = AuditLogProjection.class.getName() + ".pending";

    private final DSLContext dsl;
    private final MerkleNodeStore nodes;
    private final AuditLogQueries log;
    private final Map<String, MerkleFrontier> frontiers = new ConcurrentHashMap<>();

    public AuditLogProjection(DSLContext dsl, MerkleNodeStore nodes, AuditLogQueries log) {
        this.dsl = dsl;
        this.nodes = nodes;
        this.log = log;
    }

    /** An event waiting for its position: D[p] is {@code hash}. */
    record Pending(String tenant, String eventId, long globalIndex, byte[] hash, boolean replayed) {
    }

    /**
     * Whether the next batch asks which of its events are logged already before inserting. Only a
     * re-delivered event can be (the log and the processor's token commit together): a replay (its
     * token says so), or after a start or a failed insert, when the token may have been moved by
     * hand. It stays on while such a check finds logged events, and is switched off by a check that
     * finds none. A batch that skipped the check and meets a logged event fails at its insert and
     * is retried with the check on, so this is a shortcut, never a way to log an event twice.
     */
    private volatile boolean checkFirst = true;

    @EventHandler
    void on(EventMessage<?> event, TrackingToken token) {
        MetaData meta = event.getMetaData();
        String tenant = required(meta, AuditKeys.TENANT, event);
        String eventId = required(meta, AuditKeys.EVENT_ID, event);
        String hash = required(meta, AuditKeys.HASH, event);
        check(eventId.equals(event.getIdentifier()), "event " + event.getIdentifier() + " is stored under its eventId");
        check(Sha256.isHex(hash, 32), "event " + eventId + " carries a 64-hex hash");
        long globalIndex = token.position().orElseThrow(() -> new IllegalStateException(
                "the audit log needs a token with a position, got " + token));
        Pending pending = new Pending(tenant, eventId, globalIndex, Sha256.unhex(hash), ReplayToken.isReplay(token));
        PerBatch.add(PENDING, PendingEvents::new, (writes, p) -> writes.events.add(p), pending);
    }

    /** Forgets every frontier: the next event of each tenant rebuilds it from the database. */
    public void forgetFrontiers() {
        frontiers.clear();
    }

    /**
     * Appends the events in order and returns the position each got, -1 for an event already in
     * the log. Must run in the transaction that commits the processor's token.
     */
    long[] append(List<Pending> batch) {
        long[] positions = new long[batch.size()];
        boolean check = checkFirst || batch.stream().anyMatch(Pending::replayed);
        Set<String> logged = new HashSet<>();
        if (check) {
            List<String> ids = new ArrayList<>(batch.size());
            batch.forEach(p -> ids.add(p.eventId()));
            logged.addAll(log.loggedEventIds(ids));
        }
        boolean foundLogged = !logged.isEmpty();
        List<Object[]> rows = new ArrayList<>(batch.size());
        List<MerkleNodeStore.TenantNode> completed = new ArrayList<>(batch.size() * 2);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (!logged.add(p.eventId())) {
                positions[i] = -1; // a replay: the event has its position already
                continue;
            }
            MerkleFrontier frontier = frontiers.computeIfAbsent(p.tenant(), this::loadFrontier);
            positions[i] = frontier.size();
            rows.add(new Object[] {p.tenant(), frontier.size(), p.globalIndex(), p.eventId(), p.hash()});
            for (MerkleFrontier.Node node : frontier.append(p.hash())) {
                completed.add(new MerkleNodeStore.TenantNode(p.tenant(), node));
            }
        }
        insertLog(rows);
        nodes.insert(completed);
        if (check) {
            checkFirst = foundLogged;
        }
        return positions;
    }

    /** The events of one processor batch, appended when its transaction prepares to commit. */
    private final class PendingEvents implements PerBatch.Writes {
        private final List<Pending> events = new ArrayList<>();

        @Override
        public void flush() {
            if (!events.isEmpty()) {
                append(List.copyOf(events));
                events.clear();
            }
        }

        /** The frontiers ran ahead of the transaction: when it rolls back, memory must not stay ahead. */
        @Override
        public void rolledBack() {
            forgetFrontiers();
            checkFirst = true;
        }
    }

    private void insertLog(List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += INSERT_ROWS_MAX) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_ROWS_MAX));
            InsertValuesStep5<Record, String, Long, Long, String, byte[]> insert = dsl.insertInto(AuditLog.T,
                    AuditLog.TENANT, AuditLog.POSITION, AuditLog.GLOBAL_INDEX, AuditLog.EVENT_ID, AuditLog.HASH);
            for (Object[] r : chunk) {
                insert = insert.values((String) r[0], (Long) r[1], (Long) r[2], (String) r[3], (byte[]) r[4]);
            }
            // Should an event be logged already (the check skipped, or another writer logged it since),
            // its row is left alone (ON CONFLICT DO NOTHING) and the batch fails, so the frontier is
            // dropped and the retried batch checks and skips that event: positions never get a gap.
            int inserted = insert.onConflict(AuditLog.EVENT_ID).doNothing().execute();
            if (inserted != chunk.size()) {
                checkFirst = true;
                throw new IllegalStateException("audit log: " + (chunk.size() - inserted) + " event(s) got a position "
                        + "from another writer meanwhile; the batch is retried");
            }
        }
    }

    private MerkleFrontier loadFrontier(String tenant) {
        long size = log.size(tenant);
        return MerkleFrontier.of(size, nodes.fetch(tenant, MerkleFrontier.keysOf(size)));
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
