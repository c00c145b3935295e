package ledger.audit.verify;

import ledger.audit.checkpoint.Checkpoint;

/** Part of check 5: the final checkpoint's treeSize is toPosition + 1. */
final class TreeSizeRule {

    private TreeSizeRule() {
    }

    static void check(long line, Checkpoint cp, long expectedTreeSize) throws VerificationException {
        if (cp.treeSize() != expectedTreeSize) {
            throw new VerificationException(line, Check.TREE, "final checkpoint treeSize: expected " + expectedTreeSize
                    + " (toPosition + 1), actual " + cp.treeSize());
        }
    }
}
