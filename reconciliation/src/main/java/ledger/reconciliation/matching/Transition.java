package ledger.reconciliation.matching;

/** An item's state changed: {@code before} is null for a new item. */
public record Transition(ItemKey key, ItemState before, ItemState after) {
}
