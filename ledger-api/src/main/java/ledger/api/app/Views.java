package ledger.api.app;

import java.util.List;
import java.util.Map;

/**
 * What the API answers, whatever the transport: REST writes these as JSON, gRPC copies them field by
 * field into its messages, and an idempotency key stores the view of its first answer (as JSON) so
 * every replay says the same. Amounts are decimal strings, timestamps RFC 3339 UTC with microseconds;
 * null means absent.
 */
public final class Views {
    private Views() {
    }

    public record LegView(String account, String side, String amount, String currency) {
    }

    /**
     * A transfer or entry. {@code kind} "reversal": a reversal of {@code reversalOf}; {@code reversals}:
     * this transfer's reversals, oldest first, and for a two-leg transfer {@code reversedAmount}, what
     * they took back so far (docs/reversals.md).
     */
    public record TransferView(String id, String kind, String status, List<LegView> legs, String postedAmount,
                               String expiresAt, Map<String, String> metadata, String createdAt, String reversalOf,
                               String reversedAmount, List<ReversalView> reversals) {
    }

    /** One reversal of a transfer: its id and amount (null: an entry's, in full). */
    public record ReversalView(String id, String amount) {
    }

    public record AccountView(String id, String currency, String kind, String status, String overdraftLimit,
                              String debitsPosted, String creditsPosted, String debitsPending,
                              String creditsPending, String balance, String available, String openedAt,
                              String updatedAt, Map<String, String> metadata) {
    }

    /** What PATCH /v1/accounts/{id} changed: the limit now, and the metadata now if it was set (else null). */
    public record AccountUpdateView(String id, String overdraftLimit, Map<String, String> metadata) {
    }

    public record AccountStatusView(String id, String status) {
    }

    public record BalanceAsOfView(String id, String currency, String asOf, String debitsPosted,
                                  String creditsPosted, String balance) {
    }

    public record StatementLine(long seq, String transferId, String type, String side, String amount,
                                String debitsPosted, String creditsPosted, String balance, String available,
                                String occurredAt) {
    }

    public record StatementPage(String accountId, String currency, List<StatementLine> entries, String nextCursor) {
    }

    /** A page of accounts in id order; {@code nextCursor} null: the last page. */
    public record AccountPage(List<AccountView> accounts, String nextCursor) {
    }

    /** A page of transfers in creation order (then id); {@code nextCursor} null: the last page. */
    public record TransferPage(List<TransferView> transfers, String nextCursor) {
    }
}
