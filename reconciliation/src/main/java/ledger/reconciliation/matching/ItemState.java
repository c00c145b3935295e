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

    public Level level() {
        return reason == null ? (fixes.isEmpty() ? null : Level.L1) : reason.level();
    }
}
