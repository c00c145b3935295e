package ledger.reconciliation.matching;

import java.util.Objects;

/** An item's identity: its side and the id its source gave it (posting id, balance transaction id, entry id). */
public record ItemKey(Side side, String id) implements Comparable<ItemKey> {
    public ItemKey {
        Objects.requireNonNull(side, "side");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an item id is not blank");
        }
    }

    public static ItemKey of(Side side, String id) {
        return new ItemKey(side, id);
    }

    @Override
    public int compareTo(ItemKey other) {
        int bySide = side.compareTo(other.side);
        return bySide != 0 ? bySide : id.compareTo(other.id);
    }

    @Override
    public String toString() {
        return side + ":" + id;
    }
}
