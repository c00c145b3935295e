package ledger.reconciliation.matching;

import java.util.List;

/**
 * Where one item stands now. {@code outcomeId} names the match or break it is part of (the same
 * for every item in it; null while WAITING); {@code fixes} are the L1 repairs made to this item.
 */
public record ItemState(
        ItemKey key,
        Status status,
        String outcomeId,
        MatchKind kind,
        BreakReason reason,
        String detail,
        List<Fix> fixes) {

    public ItemState {
        fixes = List.copyOf(fixes);
    }

    /** L2/L3 for a break (by its reason), L1 for a match that needed repairs, null otherwise. */
    public Level level() {
        if (reason != null) {
            return reason.level();
        }
        return status == Status.MATCHED && !fixes.isEmpty() ? Level.L1 : null;
    }
}
