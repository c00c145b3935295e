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

    /**
     * A transfer or entry. {@code kind} "reversal": a reversal of {@code reversalOf}; {@code reversals}:
     * this transfer's reversals, oldest first, and for a two-leg transfer {@code reversedAmount}, what
     * they took back so far (docs/reversals.md).
     */
    public record TransferView(String id, String kind, String status, List<LegView> legs,
                               @Schema(nullable = true, description = "what was posted of a pending transfer") String postedAmount,
                               @Schema(nullable = true, description = "a pending transfer's deadline") String expiresAt,
                               @Schema(nullable = true) Map<String, String> metadata, String createdAt,
                               @Schema(nullable = true, description = "the transfer this one reverses") String reversalOf,
                               @Schema(nullable = true, description = "what this transfer's reversals took back so far")
                               String reversedAmount,
                               @Schema(nullable = true) List<ReversalView> reversals) {
    }

    /** One reversal of a transfer: its id and amount (null: an entry's, in full). */
    public record ReversalView(String id, @Schema(nullable = true) String amount) {
    }

    public record AccountView(String id, String currency, String kind, String status,
                              @Schema(nullable = true, description = "null: no overdraft; an amount; or \"unlimited\"")
                              String overdraftLimit,
                              String debitsPosted, String creditsPosted, String debitsPending,
                              String creditsPending, String balance, String available,
                              @Schema(nullable = true, description = "null in the answer to the open request") String openedAt,
                              @Schema(nullable = true, description = "null in the answer to the open request") String updatedAt,
                              @Schema(nullable = true) Map<String, String> metadata) {
    }

    /** What PATCH /v1/accounts/{id} changed: the limit now, and the metadata now if it was set (else null). */
    public record AccountUpdateView(String id,
                                    @Schema(nullable = true, description = "null: no overdraft") String overdraftLimit,
                                    @Schema(nullable = true) Map<String, String> metadata) {
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
                            @Schema(implementation = JsonObject.class, description = "the event's envelope"
                                    + " (docs/audit-chain.md), a JSON object whose payload depends on eventType")
                            @com.fasterxml.jackson.annotation.JsonRawValue String envelope) {
    }

    /** A page of the change feed; {@code nextAfter}: pass it as {@code after} for the next page (null: nothing yet). */
    public record FeedPage(List<FeedEvent> events,
                           @Schema(nullable = true, description = "the after of the next page: the last event's"
                                   + " position, or the after given when there is no event after it (null when none was given)")
                           Long nextAfter) {
    }

    /** A page of accounts in id order; {@code nextCursor} null: the last page. */
    public record AccountPage(List<AccountView> accounts,
                              @Schema(nullable = true, description = "null on the last page") String nextCursor) {
    }

    /** A page of transfers in creation order (then id); {@code nextCursor} null: the last page. */
    public record TransferPage(List<TransferView> transfers,
                               @Schema(nullable = true, description = "null on the last page") String nextCursor) {
    }
}
