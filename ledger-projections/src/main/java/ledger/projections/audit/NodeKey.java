package ledger.projections.audit;

import ledger.audit.merkle.CompactRange;

/**
 * A perfect subtree of a tenant's Merkle tree: the {@code 2^level} leaves starting at
 * {@code index * 2^level}. Its hash is MTH of those leaves (level 0: the leaf hash).
 */
public record NodeKey(int level, long index) {

    public NodeKey {
        if (level < 0 || level > 62 || index < 0 || (index << level) >>> level != index) {
            throw new IllegalArgumentException("no such node: level " + level + ", index " + index);
        }
    }

    public static NodeKey of(CompactRange.Position position) {
        return new NodeKey(position.level(), position.index());
    }

    /** The first leaf position the node covers. */
    public long firstLeaf() {
        return index << level;
    }

    /** How many leaves the node covers. */
    public long width() {
        return 1L << level;
    }
}
