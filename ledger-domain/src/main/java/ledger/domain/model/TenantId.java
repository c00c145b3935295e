package ledger.domain.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** A tenant: lower-case letters, digits, '-' and '_', 1 to 63 characters. */
public record TenantId(String value) {
    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public TenantId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new LedgerRejection(RejectionCode.VALIDATION_FAILED,
                    "tenant id must match " + FORM.pattern() + ": " + Names.quote(value));
        }
    }

    @JsonCreator
    public static TenantId of(String value) {
        return new TenantId(value);
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
