package ledger.projections.audit;

import static ledger.projections.audit.AuditTables.MerkleNode;
import static org.jooq.impl.DSL.row;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep4;
import org.jooq.Record;
import org.jooq.Row2;

/**
 * The stored perfect-subtree nodes of each tenant's Merkle tree. Roots and proofs of any tree size
 * up to the log's size cost one query for O(log n) nodes; nothing here reads leaves.
 */
public class MerkleNodeStore {
    /** Nodes fetched per query; a root or proof needs at most about 2 * 63. */
    static final int FETCH_KEYS_MAX = 512;
    /** Rows per insert statement: 4 bind values each, far below PostgreSQL's 65,535. */
    static final int INSERT_ROWS_MAX = 1000;

    private final DSLContext dsl;

    public MerkleNodeStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A node of a tenant's tree, ready to be stored. */
    record TenantNode(String tenant, MerkleFrontier.Node node) {
    }

    /** Stores the nodes with multi-row inserts of at most {@link #INSERT_ROWS_MAX} rows. */
    void insert(List<TenantNode> rows) {
        for (int from = 0; from < rows.size(); from += INSERT_ROWS_MAX) {
            InsertValuesStep4<Record, String, Short, Long, byte[]> insert = dsl.insertInto(MerkleNode.T,
                    MerkleNode.TENANT, MerkleNode.LEVEL, MerkleNode.IDX, MerkleNode.HASH);
            for (TenantNode row : rows.subList(from, Math.min(rows.size(), from + INSERT_ROWS_MAX))) {
                MerkleFrontier.Node n = row.node();
                insert = insert.values(row.tenant(), (short) n.key().level(), n.key().index(), n.hash());
            }
            insert.execute();
        }
    }

    /** The stored hashes of {@code keys}; a key whose node is not stored is absent from the map. */
    public Map<NodeKey, byte[]> fetch(String tenant, Collection<NodeKey> keys) {
        Map<NodeKey, byte[]> out = new HashMap<>(keys.size() * 2);
        List<NodeKey> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        for (int from = 0; from < distinct.size(); from += FETCH_KEYS_MAX) {
            List<NodeKey> chunk = distinct.subList(from, Math.min(distinct.size(), from + FETCH_KEYS_MAX));
            List<Row2<Short, Long>> rows = new ArrayList<>(chunk.size());
            for (NodeKey k : chunk) {
                rows.add(row((short) k.level(), k.index()));
            }
            dsl.select(MerkleNode.LEVEL, MerkleNode.IDX, MerkleNode.HASH)
                    .from(MerkleNode.T)
                    .where(MerkleNode.TENANT.eq(tenant), row(MerkleNode.LEVEL, MerkleNode.IDX).in(rows))
                    .forEach(r -> out.put(new NodeKey(r.value1(), r.value2()), r.value3()));
        }
        return out;
    }

    /** Nodes {@code [fromIndex, toIndex)} of one level, in index order (missing ones are skipped). */
    public Map<Long, byte[]> level(String tenant, int level, long fromIndex, long toIndex) {
        Map<Long, byte[]> out = new HashMap<>();
        dsl.select(MerkleNode.IDX, MerkleNode.HASH)
                .from(MerkleNode.T)
                .where(MerkleNode.TENANT.eq(tenant), MerkleNode.LEVEL.eq((short) level),
                        MerkleNode.IDX.ge(fromIndex), MerkleNode.IDX.lt(toIndex))
                .orderBy(MerkleNode.IDX)
                .limit(toIndex - fromIndex)
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
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
