package ledger.domain.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A client-chosen transfer or journal entry id, unique within its tenant (one id space for both). */
public record TransferId(String value) {
    /** The longest id (see {@code Names}). */
    public static final int LENGTH_MAX = 128;

    public TransferId {
        Names.requireClientId("transfer id", value);
    }

    @JsonCreator
    public static TransferId of(String value) {
        return new TransferId(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
