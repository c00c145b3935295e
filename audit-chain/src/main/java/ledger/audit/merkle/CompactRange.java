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
 */
public final class CompactRange {

    private final List<byte[]> stack = new ArrayList<>(64);
    /** One digest for every hash of this range rather than a new one per hash: a range is used by one thread. */
    private final MessageDigest sha256 = Sha256.newDigest();
    private long size;

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
