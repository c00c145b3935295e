package ledger.audit.verify;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.Checkpoint;
import ledger.audit.export.ParsedEvent;
import ledger.audit.merkle.CompactRange;

/**
 * Check 5 for an export from position 0: the RFC 6962 root over all event hashes equals the final
 * checkpoint's rootHash and its treeSize is b + 1. The root is streamed through a
 * {@link CompactRange}; the leaves are also kept ({@link LeafStore}) so that check 6 can compute
 * the root of any prefix in one more sweep.
 */
final class MerkleRootCheck {

    private final CompactRange range = new CompactRange();
    private final LeafStore leaves = new LeafStore();

    void event(long line, ParsedEvent e) throws VerificationException {
        byte[] leaf = e.hash();
        if (!leaves.append(leaf)) {
            throw new VerificationException(line, Check.TREE, "more than " + LeafStore.LEAVES_MAX
                    + " events; this verifier keeps 32 bytes per event in memory");
        }
        range.append(leaf);
    }

    void finalCheckpoint(long line, Checkpoint cp, long expectedTreeSize) throws VerificationException {
        TreeSizeRule.check(line, cp, expectedTreeSize);
        String root = Sha256.hex(range.root());
        if (!root.equals(cp.rootHash())) {
            throw new VerificationException(line, Check.TREE, "rootHash: expected " + root + " (RFC 6962 root over the "
                    + range.size() + " event hashes), actual " + cp.rootHash());
        }
    }

    /** MTH over the first {@code size} leaves for each of {@code sizes} (all at most the leaf count). */
    Map<Long, String> rootsAt(SortedSet<Long> sizes) {
        Map<Long, String> roots = new HashMap<>();
        CompactRange prefix = new CompactRange();
        for (long size : sizes) {
            while (prefix.size() < size) {
                prefix.append(leaves.leaf(prefix.size()));
            }
            roots.put(size, Sha256.hex(prefix.root()));
        }
        return roots;
    }
}
