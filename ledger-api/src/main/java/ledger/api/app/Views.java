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

    public record TransferView(String id, String kind, String status, List<LegView> legs, String postedAmount,
                               String expiresAt, Map<String, String> metadata, String createdAt) {
    }

    public record AccountView(String id, String currency, String kind, String status, String overdraftLimit,
                              String debitsPosted, String creditsPosted, String debitsPending,
                              String creditsPending, String balance, String available, String openedAt,
                              String updatedAt) {
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
}
