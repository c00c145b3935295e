package ledger.projections.audit;

import static ledger.projections.audit.AuditTables.AuditLog;
import static ledger.projections.audit.AuditTables.MerkleNode;
import static org.jooq.impl.DSL.row;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ledger.audit.merkle.MerkleTree;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Row2;

/**
 * The perfect-subtree nodes of each tenant's Merkle tree. Nodes of {@link #STORED_LEVEL_MIN} leaves
 * and more are stored as the log grows (by {@link AuditLogAppender}, in the appending transaction); smaller ones are folded on demand from the leaves (the
 * audit log's D[i]), at most 2^{@code STORED_LEVEL_MIN} leaves per node. So a root or proof of any
 * tree size up to the log's size costs two queries for O(log n) rows, and the log stores about one
 * node per 2^{@code STORED_LEVEL_MIN - 1} events instead of one per event.
 */
public class MerkleNodeStore {
    /** Nodes fetched per query; a root or proof needs at most about 2 * 63. */
    static final int FETCH_KEYS_MAX = 512;

    /** The lowest level stored: subtrees of 16 leaves and up. */
    static final int STORED_LEVEL_MIN = 4;

    private final DSLContext dsl;

    public MerkleNodeStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * The hashes of {@code keys}; a key whose node does not exist yet (its subtree is not complete)
     * is absent from the map.
     */
    public Map<NodeKey, byte[]> fetch(String tenant, Collection<NodeKey> keys) {
        Map<NodeKey, byte[]> out = new HashMap<>(keys.size() * 2);
        List<NodeKey> stored = new ArrayList<>();
        List<NodeKey> folded = new ArrayList<>();
        for (NodeKey k : new LinkedHashSet<>(keys)) {
            (k.level() >= STORED_LEVEL_MIN ? stored : folded).add(k);
        }
        for (int from = 0; from < stored.size(); from += FETCH_KEYS_MAX) {
            List<NodeKey> chunk = stored.subList(from, Math.min(stored.size(), from + FETCH_KEYS_MAX));
            List<Row2<Short, Long>> rows = new ArrayList<>(chunk.size());
            for (NodeKey k : chunk) {
                rows.add(row((short) k.level(), k.index()));
            }
            dsl.select(MerkleNode.LEVEL, MerkleNode.IDX, MerkleNode.HASH)
                    .from(MerkleNode.T)
                    .where(MerkleNode.TENANT.eq(tenant), row(MerkleNode.LEVEL, MerkleNode.IDX).in(rows))
                    .forEach(r -> out.put(new NodeKey(r.value1(), r.value2()), r.value3()));
        }
        for (int from = 0; from < folded.size(); from += FETCH_KEYS_MAX >>> STORED_LEVEL_MIN) {
            fold(tenant, folded.subList(from, Math.min(folded.size(), from + (FETCH_KEYS_MAX >>> STORED_LEVEL_MIN))), out);
        }
        return out;
    }

    /** Nodes {@code [fromIndex, toIndex)} of one level, in index order (nodes that do not exist yet are absent). */
    public Map<Long, byte[]> level(String tenant, int level, long fromIndex, long toIndex) {
        Map<Long, byte[]> out = new HashMap<>();
        if (level >= STORED_LEVEL_MIN) {
            dsl.select(MerkleNode.IDX, MerkleNode.HASH)
                    .from(MerkleNode.T)
                    .where(MerkleNode.TENANT.eq(tenant), MerkleNode.LEVEL.eq((short) level),
                            MerkleNode.IDX.ge(fromIndex), MerkleNode.IDX.lt(toIndex))
                    .orderBy(MerkleNode.IDX)
                    .limit(toIndex - fromIndex)
                    .forEach(r -> out.put(r.value1(), r.value2()));
            return out;
        }
        Map<Long, byte[]> leaves = new HashMap<>();
        dsl.select(AuditLog.POSITION, AuditLog.HASH)
                .from(AuditLog.T)
                .where(AuditLog.TENANT.eq(tenant), AuditLog.POSITION.ge(fromIndex << level),
                        AuditLog.POSITION.lt(toIndex << level))
                .forEach(r -> leaves.put(r.value1(), r.value2()));
        for (long i = fromIndex; i < toIndex; i++) {
            long from = i << level;
            long to = (i + 1) << level;
            if (!complete(leaves, from, to)) {
                break; // the log is dense: no later node of this level exists either
            }
            out.put(i, MerkleTree.subtreeRoot(leaves::get, from, to));
        }
        return out;
    }

    private static boolean complete(Map<Long, byte[]> leaves, long from, long to) {
        for (long p = from; p < to; p++) {
            if (!leaves.containsKey(p)) {
                return false;
            }
        }
        return true;
    }

    /** Small nodes from their leaves: MTH(D[i * 2^level : (i + 1) * 2^level]) when every leaf is logged. */
    private void fold(String tenant, List<NodeKey> keys, Map<NodeKey, byte[]> out) {
        List<Long> positions = new ArrayList<>();
        for (NodeKey k : keys) {
            for (long p = k.index() << k.level(); p < (k.index() + 1) << k.level(); p++) {
                positions.add(p);
            }
        }
        Map<Long, byte[]> leaves = new HashMap<>(positions.size() * 2);
        dsl.select(AuditLog.POSITION, AuditLog.HASH)
                .from(AuditLog.T)
                .where(AuditLog.TENANT.eq(tenant), AuditLog.POSITION.in(positions))
                .forEach(r -> leaves.put(r.value1(), r.value2()));
        for (NodeKey k : keys) {
            long from = k.index() << k.level();
            long to = (k.index() + 1) << k.level();
            if (complete(leaves, from, to)) {
                out.put(k, MerkleTree.subtreeRoot(leaves::get, from, to));
            }
        }
    }

    /** MTH(D[0:size]) of the tenant's log; size must not exceed the log's size. */
    public byte[] root(String tenant, long size) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        MerkleNodes.planRoot(size, keys);
        return MerkleNodes.root(size, fetch(tenant, keys));
    }

    /** MTH(D[lo:hi]). */
    public byte[] rangeHash(String tenant, long lo, long hi) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        MerkleNodes.plan(lo, hi, keys);
        return MerkleNodes.hash(lo, hi, fetch(tenant, keys));
    }

    /** PATH(index, D[0:size]), RFC 6962 2.1.1. */
    public List<byte[]> inclusionProof(String tenant, long index, long size) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        MerkleNodes.planInclusion(index, size, keys);
        return MerkleNodes.inclusionProof(index, size, fetch(tenant, keys));
    }

    /** PROOF(m, D[0:n]), RFC 6962 2.1.2. */
    public List<byte[]> consistencyProof(String tenant, long m, long n) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        MerkleNodes.planConsistency(m, n, keys);
        return MerkleNodes.consistencyProof(m, n, fetch(tenant, keys));
    }
}
