package ledger.audit.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds RFC 6962 inclusion (section 2.1.1) and consistency (section 2.1.2) proofs from a
 * {@link LeafSource}.
 *
 * <p>A proof is first worked out as the list of leaf ranges whose subtree hashes it holds
 * (pure index arithmetic, {@link #inclusionRanges} and {@link #consistencyRanges}); each range
 * is then hashed by streaming its leaves. A range hash never changes in an append-only log, so
 * the last {@value #MEMO_ENTRIES_MAX} range hashes are kept: proofs for neighbouring leaves
 * share most of their nodes, which makes a run of consecutive proofs cost about O(log n) leaf
 * reads each after the first, which costs O(n). Memory stays bounded.
 *
 * <p>Not thread-safe (the memo); create one per thread or per export.
 */
public final class ProofGenerator {

    static final int MEMO_ENTRIES_MAX = 512;

    /** A half-open range of leaf positions [from, to). */
    public record Range(long from, long to) {
        public Range {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("empty or negative range [" + from + ", " + to + ")");
            }
        }
    }

    private final LeafSource leaves;
    private final Map<Range, byte[]> memo = new LinkedHashMap<>(MEMO_ENTRIES_MAX * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Range, byte[]> eldest) {
            return size() > MEMO_ENTRIES_MAX;
        }
    };

    public ProofGenerator(LeafSource leaves) {
        this.leaves = leaves;
    }

    /** PATH(index, D[0:size]): sibling hashes from the leaf up to the root. */
    public List<byte[]> inclusionProof(long index, long size) {
        return hashes(inclusionRanges(index, size));
    }

    /** PROOF(m, D[0:n]); empty when m == n or m == 0 (nothing to prove). */
    public List<byte[]> consistencyProof(long m, long n) {
        return hashes(consistencyRanges(m, n));
    }

    /** MTH(D[0:size]). */
    public byte[] root(long size) {
        return size == 0 ? MerkleTree.emptyRoot() : hash(new Range(0, size));
    }

    /** The ranges of PATH(index, D[0:size]), deepest first. */
    public static List<Range> inclusionRanges(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index " + index + " outside tree of size " + size);
        }
        List<Range> topDown = new ArrayList<>(64);
        long lo = 0;
        long hi = size;
        while (hi - lo > 1) {
            long k = MerkleTree.splitPoint(hi - lo);
            if (index < lo + k) {
                topDown.add(new Range(lo + k, hi));
                hi = lo + k;
            } else {
                topDown.add(new Range(lo, lo + k));
                lo += k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /** The ranges of PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true), deepest first. */
    public static List<Range> consistencyRanges(long m, long n) {
        if (m < 0 || m > n) {
            throw new IllegalArgumentException("need 0 <= m <= n, got m=" + m + " n=" + n);
        }
        List<Range> topDown = new ArrayList<>(64);
        if (m == 0 || m == n) {
            return topDown;
        }
        long lo = 0;
        long hi = n;
        boolean wholeOldTree = true; // RFC 6962's b: is D[lo:hi] still known to the verifier as MTH(D[0:m])?
        while (hi - lo != m) {
            long k = MerkleTree.splitPoint(hi - lo);
            if (m <= k) {
                topDown.add(new Range(lo + k, hi));
                hi = lo + k;
            } else {
                topDown.add(new Range(lo, lo + k));
                m -= k;
                lo += k;
                wholeOldTree = false;
            }
        }
        if (!wholeOldTree) {
            topDown.add(new Range(lo, hi));
        }
        Collections.reverse(topDown);
        return topDown;
    }

    private List<byte[]> hashes(List<Range> ranges) {
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (Range r : ranges) {
            out.add(MerkleTree.copy(hash(r)));
        }
        return out;
    }

    private byte[] hash(Range r) {
        byte[] h = memo.get(r);
        if (h == null) {
            h = MerkleTree.subtreeRoot(leaves, r.from(), r.to());
            memo.put(r, h);
        }
        return h;
    }
}
