package ledger.audit.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import ledger.audit.Sha256;

/**
 * Streaming RFC 6962 root: append leaf inputs one by one, ask for the root at any point.
 *
 * <p>Holds one hash per set bit of the leaf count: the roots of the perfect subtrees that
 * the leaves seen so far decompose into, largest (leftmost) first. Appending a leaf merges
 * equal-sized neighbours like a binary counter; {@link #root()} folds the stack from the right,
 * which is exactly RFC 6962's split at the largest power of two. O(log n) memory. Not for
 * use by several threads at once.
 *
 * <p>A log that stores its tree as it grows appends with {@link #appendCompleted}, which names every
 * perfect subtree the new leaf completes, and restores a range after a restart from those stored
 * nodes with {@link #of} and {@link #frontier}.
 */
public final class CompactRange {

    /** Where a perfect subtree sits: MTH(D[index * 2^level : (index + 1) * 2^level]). */
    public record Position(int level, long index) {
    }

    /** A perfect subtree completed by an append, and its hash. */
    public record Node(Position position, byte[] hash) {
    }

    private final List<byte[]> stack = new ArrayList<>(64);
    /** One digest for every hash of this range rather than a new one per hash: a range is used by one thread. */
    private final MessageDigest sha256 = Sha256.newDigest();
    private long size;

    public CompactRange() {
    }

    private CompactRange(long size, List<byte[]> roots) {
        this.size = size;
        roots.forEach(r -> stack.add(MerkleTree.copy(r)));
    }

    /** An independent copy: appending to it leaves this range as it is. */
    public CompactRange copy() {
        return new CompactRange(size, stack);
    }

    /** The perfect subtrees a range of {@code size} leaves consists of, largest (leftmost) first. */
    public static List<Position> frontier(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        List<Position> positions = new ArrayList<>(Long.bitCount(size));
        long offset = 0;
        for (int level = 62; level >= 0; level--) {
            long width = 1L << level;
            if ((size & width) != 0) {
                positions.add(new Position(level, offset >>> level));
                offset += width;
            }
        }
        return positions;
    }

    /** The range of {@code size} leaves, from the hashes of its {@link #frontier} in that order. */
    public static CompactRange of(long size, List<byte[]> roots) {
        if (roots.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a range of " + size + " leaves has " + Long.bitCount(size)
                    + " perfect subtrees, not " + roots.size());
        }
        for (byte[] root : roots) {
            if (root == null || root.length != MerkleTree.HASH_LENGTH) {
                throw new IllegalArgumentException("a subtree root is 32 bytes");
            }
        }
        return new CompactRange(size, roots);
    }

    /**
     * Appends leaf input D[size] and returns the perfect subtrees it completes, leaf first (the leaf
     * itself, then each parent the append merges: on average two nodes a leaf).
     */
    public List<Node> appendCompleted(byte[] leafInput) {
        long position = size;
        byte[] node = MerkleTree.leafHash(sha256, leafInput);
        List<Node> completed = new ArrayList<>(2);
        completed.add(new Node(new Position(0, position), node));
        int level = 0;
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            node = MerkleTree.nodeHash(sha256, stack.remove(stack.size() - 1), node);
            level++;
            completed.add(new Node(new Position(level, position >>> level), node));
        }
        stack.add(node);
        size++;
        return completed;
    }

    /** Appends leaf input D[size] (32 bytes, not yet leaf-hashed). */
    public void append(byte[] leafInput) {
        byte[] node = MerkleTree.leafHash(sha256, leafInput);
        // Each trailing one bit of the old size is a perfect subtree that the new leaf completes.
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            node = MerkleTree.nodeHash(sha256, stack.remove(stack.size() - 1), node);
        }
        stack.add(node);
        size++;
    }

    public long size() {
        return size;
    }

    /** MTH of the leaves appended so far. */
    public byte[] root() {
        if (stack.isEmpty()) {
            return MerkleTree.emptyRoot();
        }
        byte[] root = stack.get(stack.size() - 1);
        for (int i = stack.size() - 2; i >= 0; i--) {
            root = MerkleTree.nodeHash(sha256, stack.get(i), root);
        }
        return MerkleTree.copy(root);
    }
}
