package ledger.api.app;

import io.swagger.v3.oas.annotations.media.Schema;
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

    /** Documents a member that is a JSON object whose members depend on the data (no fixed schema). */
    @Schema(type = "object", description = "a JSON object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    public interface JsonObject {
    }

    public record LegView(String account, String side, String amount, String currency) {
    }

    public record TransferView(String id, String kind, String status, List<LegView> legs,
                               @Schema(nullable = true, description = "what was posted of a pending transfer") String postedAmount,
                               @Schema(nullable = true, description = "a pending transfer's deadline") String expiresAt,
                               @Schema(nullable = true) Map<String, String> metadata, String createdAt) {
    }

    public record AccountView(String id, String currency, String kind, String status,
                              @Schema(nullable = true, description = "null: no overdraft; an amount; or \"unlimited\"")
                              String overdraftLimit,
                              String debitsPosted, String creditsPosted, String debitsPending,
                              String creditsPending, String balance, String available,
                              @Schema(nullable = true, description = "null in the answer to the open request") String openedAt,
                              @Schema(nullable = true, description = "null in the answer to the open request") String updatedAt) {
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

    public record StatementPage(String accountId, String currency, List<StatementLine> entries,
                                @Schema(nullable = true, description = "null on the last page") String nextCursor) {
    }

    /**
     * One event of a tenant's change feed: its audit-log position and hash (docs/audit-chain.md), so
     * it can be proven (GET /v1/audit/proofs/inclusion?eventId=), and its envelope as the JCS text
     * that was hashed: SHA-256 of its UTF-8 bytes is {@code hash}. REST embeds it as a JSON object.
     */
    public record FeedEvent(long position, String hash, String eventId, String eventType, String aggregateType,
                            String aggregateId, long seq, String occurredAt,
                            @com.fasterxml.jackson.annotation.JsonRawValue String envelope) {
    }

    /** A page of the change feed; {@code nextAfter}: pass it as {@code after} for the next page (null: nothing yet). */
    public record FeedPage(List<FeedEvent> events, Long nextAfter) {
    }
}
