package ledger.domain.model;

import java.util.regex.Pattern;

/** Shared rules for client-chosen identifiers. */
final class Names {
    /** Letters, digits and {@code . _ : @ -}; no '/', which separates the parts of aggregate ids. */
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private Names() {
    }

    static String requireClientId(String kind, String value) {
        if (value == null || !CLIENT_ID.matcher(value).matches()) {
            throw new LedgerRejection(RejectionCode.VALIDATION_FAILED,
                    kind + " must match " + CLIENT_ID.pattern() + ": " + quote(value));
        }
        return value;
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return '"' + shown + '"';
    }
}
