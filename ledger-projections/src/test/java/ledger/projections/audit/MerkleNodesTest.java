package ledger.projections.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import ledger.audit.Sha256;
import ledger.audit.merkle.ConsistencyProofVerifier;
import ledger.audit.merkle.InclusionProofVerifier;
import ledger.audit.merkle.LeafSource;
import ledger.audit.merkle.CompactRange;
import ledger.audit.merkle.MerkleTree;
import ledger.audit.merkle.ProofGenerator;
import org.junit.jupiter.api.Test;

/**
 * The stored-node path must give exactly audit-chain's leaf-streaming results: roots, inclusion
 * and consistency proofs of every size, from the nodes a {@link CompactRange} reported completed.
 * Randomised parts are seeded loops that print their seed (run with -Dseed=N to repeat one).
 */
class MerkleNodesTest {
    private static final int LEAVES = 300;

    @Test
    void nodesFromTheFrontierGiveTheSameRootsAndProofsAsStreamingTheLeaves() throws Exception {
        List<byte[]> leaves = leaves(LEAVES, 1);
        LeafSource source = i -> leaves.get((int) i);
        Map<NodeKey, byte[]> stored = new HashMap<>();
        CompactRange frontier = new CompactRange();
        for (int n = 1; n <= LEAVES; n++) {
            for (CompactRange.Node node : frontier.appendCompleted(leaves.get(n - 1))) {
                NodeKey key = NodeKey.of(node.position());
                assertTrue(stored.put(key, node.hash()) == null, "node " + key + " written once");
            }
            final int size = n;
            byte[] expected = MerkleTree.root(source, n);
            assertArrayEquals(expected, frontier.root(), "frontier root at size " + n);
            assertArrayEquals(expected, MerkleNodes.root(n, planned(k -> MerkleNodes.planRoot(size, k), stored)),
                    "node root at size " + n);
        }
        ProofGenerator reference = new ProofGenerator(source);
        for (int n = 1; n <= 70; n++) {
            byte[] root = MerkleTree.root(source, n);
            for (int i = 0; i < n; i++) {
                final int size = n;
                final int index = i;
                List<byte[]> proof = MerkleNodes.inclusionProof(i, n,
                        planned(k -> MerkleNodes.planInclusion(index, size, k), stored));
                assertProofEquals(reference.inclusionProof(i, n), proof, "inclusion " + i + " in " + n);
                InclusionProofVerifier.verify(i, n, leaves.get(i), proof, root);
            }
            for (int m = 0; m <= n; m++) {
                final int first = m;
                final int second = n;
                List<byte[]> proof = MerkleNodes.consistencyProof(m, n,
                        planned(k -> MerkleNodes.planConsistency(first, second, k), stored));
                assertProofEquals(reference.consistencyProof(m, n), proof, "consistency " + m + " to " + n);
                ConsistencyProofVerifier.verify(m, MerkleTree.root(source, m), n, root, proof);
            }
        }
    }

    @Test
    void aFrontierRebuiltFromItsStoredNodesContinuesTheSameTree() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("MerkleNodesTest seed " + seed + " (repeat with -Dseed=" + seed + ")");
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            int size = random.nextInt(200);
            int more = 1 + random.nextInt(50);
            List<byte[]> leaves = leaves(size + more, random.nextLong());
            Map<NodeKey, byte[]> stored = new HashMap<>();
            CompactRange original = new CompactRange();
            for (int i = 0; i < size; i++) {
                original.appendCompleted(leaves.get(i)).forEach(n -> stored.put(NodeKey.of(n.position()), n.hash()));
            }
            CompactRange rebuilt = CompactRange.of(size, CompactRange.frontier(size).stream()
                    .map(p -> stored.get(NodeKey.of(p))).toList());
            for (int i = size; i < size + more; i++) {
                original.append(leaves.get(i));
                rebuilt.append(leaves.get(i));
            }
            assertArrayEquals(original.root(), rebuilt.root(), "seed " + seed + " round " + round);
            assertArrayEquals(MerkleTree.root(i -> leaves.get((int) i), size + more), rebuilt.root(), "seed " + seed);
        }
    }

    @Test
    void aMissingNodeIsAnErrorNotAWrongHash() {
        Map<NodeKey, byte[]> none = Map.of();
        assertThrows(IllegalStateException.class, () -> MerkleNodes.root(5, none));
        assertThrows(IllegalArgumentException.class, () -> CompactRange.of(3, List.of()));
        assertEquals(Sha256.hex(MerkleTree.emptyRoot()), Sha256.hex(MerkleNodes.root(0, none)));
    }

    @Test
    void proofsOfLargeTreesNeedLogarithmicallyManyNodes() {
        long n = 1_000_000_007L;
        Set<NodeKey> keys = new LinkedHashSet<>();
        MerkleNodes.planInclusion(123_456_789L, n, keys);
        assertTrue(keys.size() <= 2 * 64, "inclusion needs " + keys.size() + " nodes");
        keys.clear();
        MerkleNodes.planConsistency(999_999_937L, n, keys);
        assertTrue(keys.size() <= 2 * 64, "consistency needs " + keys.size() + " nodes");
        keys.clear();
        MerkleNodes.planRoot(n, keys);
        assertEquals(Long.bitCount(n), keys.size());
    }

    private interface Planner {
        void plan(Set<NodeKey> keys);
    }

    /** Only the nodes the plan names, as the database would return them. */
    private static Map<NodeKey, byte[]> planned(Planner planner, Map<NodeKey, byte[]> stored) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        planner.plan(keys);
        Map<NodeKey, byte[]> out = new HashMap<>();
        for (NodeKey k : keys) {
            byte[] h = stored.get(k);
            if (h != null) {
                out.put(k, h);
            }
        }
        return out;
    }

    private static void assertProofEquals(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(hex(expected), hex(actual), what);
    }

    private static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>();
        hashes.forEach(h -> out.add(Sha256.hex(h)));
        return out;
    }

    private static List<byte[]> leaves(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] leaf = new byte[32];
            random.nextBytes(leaf);
            out.add(leaf);
        }
        return out;
    }
}
