package ledger.domain.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The side of a posting. */
public enum Side {
    DEBIT("debit"),
    CREDIT("credit");

    private final String wire;

    Side(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public Side opposite() {
        return this == DEBIT ? CREDIT : DEBIT;
    }

    public static Side parse(String text) {
        for (Side side : values()) {
            if (side.wire.equals(text)) {
                return side;
            }
        }
        throw new IllegalArgumentException("not a side: " + text);
    }
}
