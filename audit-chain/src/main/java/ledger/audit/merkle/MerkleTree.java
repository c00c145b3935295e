package ledger.audit.merkle;

import java.security.MessageDigest;
import java.util.Arrays;
import ledger.audit.Sha256;

/**
 * The Merkle Tree Hash of RFC 6962 section 2.1 over leaf inputs D[i] of 32 bytes.
 *
 * <pre>
 * MTH({})      = SHA-256()
 * MTH({d})     = SHA-256(0x00 || d)
 * MTH(D[0:n])  = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two &lt; n
 * </pre>
 *
 * Roots are computed by streaming the leaves through a {@link CompactRange}: O(log n) memory.
 */
public final class MerkleTree {

    public static final int HASH_LENGTH = 32;

    private MerkleTree() {
    }

    /** MTH of the empty tree: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return Sha256.digest(new byte[0]);
    }

    /** SHA-256(0x00 || d). */
    public static byte[] leafHash(byte[] leafInput) {
        return leafHash(Sha256.newDigest(), leafInput);
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        return nodeHash(Sha256.newDigest(), left, right);
    }

    /** {@link #leafHash(byte[])} with a SHA-256 digest the caller reuses (it is reset by this call). */
    static byte[] leafHash(MessageDigest sha256, byte[] leafInput) {
        requireHash(leafInput, "leaf input");
        sha256.update((byte) 0x00);
        sha256.update(leafInput);
        return sha256.digest();
    }

    /** {@link #nodeHash(byte[], byte[])} with a SHA-256 digest the caller reuses (it is reset by this call). */
    static byte[] nodeHash(MessageDigest sha256, byte[] left, byte[] right) {
        sha256.update((byte) 0x01);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    /** MTH(D[0:size]). */
    public static byte[] root(LeafSource leaves, long size) {
        return subtreeRoot(leaves, 0, size);
    }

    /** MTH(D[from:to]), the hash of the leaves from (inclusive) to (exclusive). */
    public static byte[] subtreeRoot(LeafSource leaves, long from, long to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
        }
        CompactRange range = new CompactRange();
        for (long i = from; i < to; i++) {
            range.append(leaves.leaf(i));
        }
        return range.root();
    }

    /** The largest power of two strictly smaller than n, for n &gt; 1 (RFC 6962's k). */
    public static long splitPoint(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("no split point below 2: " + n);
        }
        return Long.highestOneBit(n - 1);
    }

    static void requireHash(byte[] hash, String what) {
        if (hash == null || hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException(what + " must be " + HASH_LENGTH + " bytes, got "
                    + (hash == null ? "null" : hash.length));
        }
    }

    static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b) && a.length == b.length;
    }

    static byte[] copy(byte[] a) {
        return Arrays.copyOf(a, a.length);
    }
}
