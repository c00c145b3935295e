package ledger.domain.model;

import java.util.regex.Pattern;

/** Shared rules for client-chosen identifiers. */
final class Names {
    /** Letters, digits and {@code . _ : @ -}; no '/', which separates the parts of aggregate ids. */
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private Names() {
    }

    static String requireClientId(String kind, String value) {
        if (!isClientId(value)) {
            throw new LedgerRejection(RejectionCode.VALIDATION_FAILED,
                    kind + " must match " + CLIENT_ID.pattern() + ": " + quote(value));
        }
        return value;
    }

    /** {@link #CLIENT_ID} without a regex: ids are checked on every command and every read. */
    static boolean isClientId(String value) {
        if (value == null || value.isEmpty() || value.length() > 128) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '@' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return '"' + shown + '"';
    }
}
