package ledger.domain.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A client-chosen account id, unique within its tenant. */
public record AccountId(String value) implements Comparable<AccountId> {
    public AccountId {
        Names.requireClientId("account id", value);
    }

    @JsonCreator
    public static AccountId of(String value) {
        return new AccountId(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(AccountId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
