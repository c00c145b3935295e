package ledger.projections.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import ledger.audit.merkle.MerkleTree;
import ledger.audit.merkle.ProofGenerator;
import ledger.audit.merkle.ProofGenerator.Range;

/**
 * RFC 6962 hashes from stored perfect-subtree nodes, without reading leaves: pure arithmetic that
 * says which {@link NodeKey}s a root, a range or a proof needs ({@code plan*}), and the folding that
 * turns those nodes into the hash ({@code hash*}). Splitting follows RFC 6962 section 2.1 exactly:
 * MTH(D[lo:hi]) = SHA-256(0x01 || MTH(D[lo:lo+k]) || MTH(D[lo+k:hi])) with k the largest power of
 * two below hi - lo, until a range is one aligned perfect subtree. For the ranges that roots and
 * proofs use, that is at most 2 log2(n) nodes.
 */
public final class MerkleNodes {
    private MerkleNodes() {
    }

    /** Adds to {@code out} the nodes that MTH(D[lo:hi]) is folded from. */
    public static void plan(long lo, long hi, Collection<NodeKey> out) {
        requireRange(lo, hi);
        long width = hi - lo;
        if (isAlignedPerfect(lo, width)) {
            out.add(new NodeKey(Long.numberOfTrailingZeros(width), lo >>> Long.numberOfTrailingZeros(width)));
            return;
        }
        long k = MerkleTree.splitPoint(width);
        plan(lo, lo + k, out);
        plan(lo + k, hi, out);
    }

    /** MTH(D[lo:hi]) from the nodes {@link #plan} named; throws if one is missing. */
    public static byte[] hash(long lo, long hi, Map<NodeKey, byte[]> nodes) {
        requireRange(lo, hi);
        long width = hi - lo;
        if (isAlignedPerfect(lo, width)) {
            NodeKey key = new NodeKey(Long.numberOfTrailingZeros(width), lo >>> Long.numberOfTrailingZeros(width));
            byte[] h = nodes.get(key);
            if (h == null) {
                throw new IllegalStateException("Merkle node " + key + " is not stored");
            }
            return h;
        }
        long k = MerkleTree.splitPoint(width);
        return MerkleTree.nodeHash(hash(lo, lo + k, nodes), hash(lo + k, hi, nodes));
    }

    /** Nodes of MTH(D[0:size]); none for the empty tree. */
    public static void planRoot(long size, Collection<NodeKey> out) {
        if (size > 0) {
            plan(0, size, out);
        }
    }

    public static byte[] root(long size, Map<NodeKey, byte[]> nodes) {
        return size == 0 ? MerkleTree.emptyRoot() : hash(0, size, nodes);
    }

    /** Nodes of PATH(index, D[0:size]). */
    public static void planInclusion(long index, long size, Collection<NodeKey> out) {
        for (Range r : ProofGenerator.inclusionRanges(index, size)) {
            plan(r.from(), r.to(), out);
        }
    }

    public static List<byte[]> inclusionProof(long index, long size, Map<NodeKey, byte[]> nodes) {
        return hashes(ProofGenerator.inclusionRanges(index, size), nodes);
    }

    /** Nodes of PROOF(m, D[0:n]). */
    public static void planConsistency(long m, long n, Collection<NodeKey> out) {
        for (Range r : ProofGenerator.consistencyRanges(m, n)) {
            plan(r.from(), r.to(), out);
        }
    }

    public static List<byte[]> consistencyProof(long m, long n, Map<NodeKey, byte[]> nodes) {
        return hashes(ProofGenerator.consistencyRanges(m, n), nodes);
    }

    /** True when [lo, lo + width) is one stored node: width a power of two and lo a multiple of it. */
    static boolean isAlignedPerfect(long lo, long width) {
        return Long.bitCount(width) == 1 && (lo & (width - 1)) == 0;
    }

    private static List<byte[]> hashes(List<Range> ranges, Map<NodeKey, byte[]> nodes) {
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (Range r : ranges) {
            out.add(hash(r.from(), r.to(), nodes));
        }
        return out;
    }

    private static void requireRange(long lo, long hi) {
        if (lo < 0 || hi <= lo) {
            throw new IllegalArgumentException("empty or negative range [" + lo + ", " + hi + ")");
        }
    }
}
