package ledger.audit.merkle;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ledger.audit.Sha256;

/**
 * RFC 6962 section 2.1 written as literally as possible (recursion on D[lo:hi]), to check the
 * streaming implementation against. Subtree hashes are memoised only to keep the test fast.
 */
final class ReferenceMerkle {

    private final byte[][] d;
    private final Map<Long, byte[]> mth = new HashMap<>();

    ReferenceMerkle(byte[][] leafInputs) {
        this.d = leafInputs;
    }

    /** Deterministic leaf inputs: D[i] = SHA-256(seed || i). */
    static byte[][] leaves(int n, long seed) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Sha256.digest(ByteBuffer.allocate(16).putLong(seed).putLong(i).array());
        }
        return out;
    }

    static LeafSource source(byte[][] leaves) {
        return i -> Arrays.copyOf(leaves[Math.toIntExact(i)], 32);
    }

    byte[] mth(int lo, int hi) {
        long key = ((long) lo << 32) | hi;
        byte[] cached = mth.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] h;
        int n = hi - lo;
        if (n == 0) {
            h = Sha256.digest(new byte[0]);
        } else if (n == 1) {
            h = Sha256.digest(concat(new byte[] {0}, d[lo]));
        } else {
            int k = 1;
            while (k * 2 < n) {
                k *= 2;
            }
            h = Sha256.digest(concat(new byte[] {1}, mth(lo, lo + k), mth(lo + k, hi)));
        }
        mth.put(key, h);
        return h;
    }

    /** PATH(m, D[lo:hi]) of RFC 6962 2.1.1. */
    List<byte[]> path(int m, int lo, int hi) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) {
            return out;
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        if (m < k) {
            out.addAll(path(m, lo, lo + k));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(path(m - k, lo + k, hi));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) of RFC 6962 2.1.2. */
    List<byte[]> proof(int m, int n) {
        return subproof(m, 0, n, true);
    }

    private List<byte[]> subproof(int m, int lo, int hi, boolean b) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(lo, hi));
            }
            return out;
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        if (m <= k) {
            out.addAll(subproof(m, lo, lo + k, b));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(subproof(m - k, lo + k, hi, false));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
