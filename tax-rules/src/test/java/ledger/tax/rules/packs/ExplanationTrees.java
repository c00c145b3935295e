package ledger.tax.rules.packs;

import ledger.tax.rules.Explanation;

/** Looks a node up by name in an explanation tree (depth first). */
final class ExplanationTrees {

    private ExplanationTrees() {
    }

    static Explanation find(Explanation node, String name) {
        if (node.name().equals(name)) {
            return node;
        }
        for (Explanation child : node.uses()) {
            Explanation found = find(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
