package ledger.reconciliation.statement;

import java.util.regex.Pattern;

/** ISO 13616 check: the shape of an IBAN and its mod-97 check digits. */
final class Iban {
    private static final Pattern SHAPE = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");

    private Iban() {
    }

    static boolean isValid(String candidate) {
        if (candidate == null || !SHAPE.matcher(candidate).matches()) {
            return false;
        }
        String rearranged = candidate.substring(4) + candidate.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }
}
