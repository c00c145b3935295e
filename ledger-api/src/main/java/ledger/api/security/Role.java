package ledger.api.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** What an API key may do. Issued keys get any but {@code operator}, which only the bootstrap key has. */
public enum Role {
    PAYMENTS, FINANCE, AUDITOR, ADMIN, OPERATOR;

    public String wire() {
        return name().toLowerCase();
    }

    public static Role parse(String text) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(text));
    }

    public static final Set<Role> ISSUABLE = EnumSet.of(PAYMENTS, FINANCE, AUDITOR, ADMIN);
}
