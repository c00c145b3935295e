package ledger.projections.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.audit.merkle.MerkleTree;

/**
 * The right edge of a tenant's Merkle tree: one complete perfect subtree per set bit of the size,
 * largest (leftmost) first, like audit-chain's CompactRange, but it names each node it completes
 * so the caller can store it. Appending a leaf yields the leaf node and every parent it completes
 * (on average two nodes a leaf). Not thread-safe: one writer per tenant.
 */
public final class MerkleFrontier {

    /** A node completed by an append, to be stored. */
    public record Node(NodeKey key, byte[] hash) {
    }

    private final List<byte[]> stack;
    private long size;

    private MerkleFrontier(long size, List<byte[]> stack) {
        this.size = size;
        this.stack = stack;
    }

    public static MerkleFrontier empty() {
        return new MerkleFrontier(0, new ArrayList<>(64));
    }

    /** The nodes a frontier of {@code size} leaves consists of, largest first. */
    public static List<NodeKey> keysOf(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        List<NodeKey> keys = new ArrayList<>(Long.bitCount(size));
        long offset = 0;
        for (int level = 62; level >= 0; level--) {
            long width = 1L << level;
            if ((size & width) != 0) {
                keys.add(new NodeKey(level, offset >>> level));
                offset += width;
            }
        }
        return keys;
    }

    /** Rebuilds the frontier of {@code size} leaves from its stored nodes ({@link #keysOf}). */
    public static MerkleFrontier of(long size, Map<NodeKey, byte[]> nodes) {
        List<byte[]> stack = new ArrayList<>(64);
        for (NodeKey key : keysOf(size)) {
            byte[] hash = nodes.get(key);
            if (hash == null || hash.length != MerkleTree.HASH_LENGTH) {
                throw new IllegalStateException("frontier node " + key + " of size " + size + " is not stored");
            }
            stack.add(hash.clone());
        }
        return new MerkleFrontier(size, stack);
    }

    public long size() {
        return size;
    }

    /** Appends D[size] (the 32-byte event hash) and returns the nodes it completes, leaf first. */
    public List<Node> append(byte[] leafInput) {
        byte[] node = MerkleTree.leafHash(leafInput);
        List<Node> completed = new ArrayList<>(2);
        long position = size;
        completed.add(new Node(new NodeKey(0, position), node));
        int level = 0;
        for (long s = position; (s & 1) == 1; s >>>= 1) {
            node = MerkleTree.nodeHash(stack.remove(stack.size() - 1), node);
            level++;
            completed.add(new Node(new NodeKey(level, position >>> level), node));
        }
        stack.add(node);
        size++;
        return completed;
    }

    /** MTH of the leaves appended so far. */
    public byte[] root() {
        if (stack.isEmpty()) {
            return MerkleTree.emptyRoot();
        }
        byte[] root = stack.get(stack.size() - 1);
        for (int i = stack.size() - 2; i >= 0; i--) {
            root = MerkleTree.nodeHash(stack.get(i), root);
        }
        return root.clone();
    }
}
