package ledger.reconciliation.statement;

/**
 * What a parse saw: the format (with the camt namespace where there is one), the SHA-256 of the
 * file's bytes (lower-case hex, computed while reading; the same file twice gives the same
 * digest), the byte count, and how many statements and entries were pushed.
 */
public record ParseSummary(String format, String sha256, long bytes, int statements, long entries) {
}
