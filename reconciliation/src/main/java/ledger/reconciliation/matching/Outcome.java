package ledger.reconciliation.matching;

import java.util.List;

/**
 * A match or a break with every item in it (for an ambiguous break: the item and all its
 * candidates), in {@link ItemKey} order, and the L1 fixes made to any of them.
 */
public record Outcome(String id, Status status, MatchKind kind, BreakReason reason, String detail,
                      List<ItemKey> items, List<Fix> fixes) {
    public Outcome {
        items = List.copyOf(items);
        fixes = List.copyOf(fixes);
    }
}
