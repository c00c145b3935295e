package ledger.reconciliation.matching;

/**
 * A level-L1 difference the matcher repaired before matching: which field, the value as it
 * arrived, the value it was matched with, and the rules applied (e.g. {@code trim, upper case,
 * prefix "REF:"}).
 */
public record Fix(String field, String original, String normalised, String rule) {
}
