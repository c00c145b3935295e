package ledger.projections.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ledger.audit.merkle.ProofGenerator;
import ledger.audit.merkle.ProofGenerator.Range;

/**
 * Inclusion proofs for a run of ascending positions against one tree size, as an export needs
 * them: O(1) amortised node reads a position and bounded memory, whatever the size.
 *
 * <p>Each proof range is either one aligned perfect subtree, read through a per-level window of
 * {@link #WINDOW_NODES} consecutive nodes (positions only grow, so each window is read once), or a
 * range on the tree's right edge, of which a tree has fewer than 64 and which are kept. Not
 * thread-safe: one per export.
 */
public final class InclusionPaths {
    static final int WINDOW_NODES = 1024;

    private final MerkleNodeStore nodes;
    private final String tenant;
    private final long treeSize;
    private final long[] windowStart = new long[63];
    private final Map<Long, byte[]>[] windows;
    private final Map<Range, byte[]> edges = new HashMap<>();

    @SuppressWarnings("unchecked")
    public InclusionPaths(MerkleNodeStore nodes, String tenant, long treeSize) {
        this.nodes = nodes;
        this.tenant = tenant;
        this.treeSize = treeSize;
        this.windows = new Map[63];
        java.util.Arrays.fill(windowStart, -1);
    }

    /** PATH(position, D[0:treeSize]), deepest sibling first. */
    public List<byte[]> proof(long position) {
        List<Range> ranges = ProofGenerator.inclusionRanges(position, treeSize);
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (Range r : ranges) {
            long width = r.to() - r.from();
            out.add(MerkleNodes.isAlignedPerfect(r.from(), width) ? perfect(r, width) : edge(r));
        }
        return out;
    }

    private byte[] perfect(Range r, long width) {
        int level = Long.numberOfTrailingZeros(width);
        long index = r.from() >>> level;
        long start = index - (index % WINDOW_NODES);
        if (windowStart[level] != start) {
            windows[level] = nodes.level(tenant, level, start, start + WINDOW_NODES);
            windowStart[level] = start;
        }
        byte[] h = windows[level].get(index);
        if (h == null) {
            throw new IllegalStateException("Merkle node " + new NodeKey(level, index) + " of " + tenant
                    + " is not stored");
        }
        return h;
    }

    private byte[] edge(Range r) {
        byte[] h = edges.get(r);
        if (h == null) {
            Set<NodeKey> keys = new LinkedHashSet<>();
            MerkleNodes.plan(r.from(), r.to(), keys);
            h = MerkleNodes.hash(r.from(), r.to(), nodes.fetch(tenant, keys));
            edges.put(r, h);
        }
        return h;
    }
}
