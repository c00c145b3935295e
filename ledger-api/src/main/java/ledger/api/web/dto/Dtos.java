package ledger.api.web.dto;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * Bodies only REST has (administration, reports). The requests and answers both APIs share are
 * {@link ledger.api.app.Requests} and {@link ledger.api.app.Views}.
 */
public final class Dtos {
    private Dtos() {
    }

    @Schema(description = "Up to 8,190 transfers, each answered on its own (as gRPC SubmitTransfers)")
    public record BatchRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<BatchTransfer> transfers) {
    }

    @Schema(description = "A transfer of a batch: the fields of POST /v1/transfers, its own idempotency key, and"
            + " linked: true to apply it with the next one all or nothing (a chain ends at the first linked: false)")
    public record BatchTransfer(
            @Schema(example = "tr-1001", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(example = "cash", requiredMode = Schema.RequiredMode.REQUIRED) String debitAccount,
            @Schema(example = "wallet-42", requiredMode = Schema.RequiredMode.REQUIRED) String creditAccount,
            @Schema(example = "25.00", requiredMode = Schema.RequiredMode.REQUIRED) String amount,
            @Schema(example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            Boolean pending,
            Long timeoutSeconds,
            java.util.Map<String, String> metadata,
            @Schema(example = "tr-1001", requiredMode = Schema.RequiredMode.REQUIRED) String idempotencyKey,
            Boolean linked) {
    }

    @Schema(description = "The answer to transfers[index]: ok with the transfer, or refused with code and detail;"
            + " existed: a transfer with this id and the same content existed (nothing posted); fields: the fields a"
            + " refusal is about (transfer_id_conflict: those that differ from the existing transfer)")
    public record BatchResult(int index, boolean ok, boolean replayed,
                              @Schema(nullable = true, description = "when ok") ledger.api.app.Views.TransferView transfer,
                              @Schema(nullable = true, description = "when refused: the stable code") String code,
                              @Schema(nullable = true, description = "when refused") String detail, boolean existed,
                              @Schema(nullable = true) List<String> fields) {
    }

    public record BatchResponse(List<BatchResult> results) {
    }

    /**
     * The schema of {@code GET /v1/accounts/{id}}, which answers one of two views by {@code asOf}
     * ({@link ledger.api.app.Views.AccountView} or {@link ledger.api.app.Views.BalanceAsOfView}). One
     * schema with the members of both, not a oneOf: a generated client (openapi-generator's Java
     * clients ignore unknown members by default) could not tell the two apart, since neither has a
     * member that names it. Only the members both views have are required.
     */
    @Schema(description = "Without asOf: the account now, every member but asOf (as AccountView). With asOf: only"
            + " id, currency, asOf, debitsPosted, creditsPosted and balance, the posted balance at that instant")
    public record AccountRead(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            @Schema(description = "without asOf") String kind,
            @Schema(description = "without asOf") String status,
            @Schema(nullable = true, description = "without asOf; null: no overdraft") String overdraftLimit,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String debitsPosted,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String creditsPosted,
            @Schema(description = "without asOf") String debitsPending,
            @Schema(description = "without asOf") String creditsPending,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String balance,
            @Schema(description = "without asOf") String available,
            @Schema(nullable = true, description = "without asOf") String openedAt,
            @Schema(nullable = true, description = "without asOf") String updatedAt,
            @Schema(nullable = true, description = "without asOf: the account's metadata") Map<String, String> metadata,
            @Schema(description = "with asOf: the instant asked for") String asOf) {
    }

    public record TenantRequest(@Schema(example = "acme", requiredMode = Schema.RequiredMode.REQUIRED) String id) {
    }

    public record ApiKeyRequest(@Schema(example = "[\"payments\"]", requiredMode = Schema.RequiredMode.REQUIRED)
                                List<String> roles) {
    }








    public record TrialBalanceLine(String account, String currency, String kind, String debits, String credits) {
    }

    public record TrialBalanceTotal(String currency, String debits, String credits, int accounts, boolean balanced) {
    }

    public record TrialBalance(List<TrialBalanceLine> accounts, List<TrialBalanceTotal> totals, boolean truncated) {
    }

    public record TenantCreated(String tenant, String apiKeyId, String apiKey, List<String> roles) {
    }

    @Schema(description = "An API key without its secret: revokedAt and revokedBy are null while it is active")
    public record ApiKeyInfo(String id, List<String> roles,
                             @Schema(nullable = true, description = "the id of the key that issued it; null: issued"
                                     + " by the service itself") String createdBy,
                             String createdAt,
                             @Schema(nullable = true, description = "null while the key is active") String revokedAt,
                             @Schema(nullable = true, description = "the id of the key that revoked it; null while"
                                     + " the key is active") String revokedBy) {
    }

    @Schema(description = "A page of API keys by id; nextCursor (pass it as after) is null on the last page")
    public record ApiKeyPage(List<ApiKeyInfo> keys,
                             @Schema(nullable = true, description = "null on the last page") String nextCursor) {
    }

    @Schema(description = "A token bucket: capacity tokens, refillTokens more every refillPeriodMs")
    public record PlanRequest(@Schema(example = "100", requiredMode = Schema.RequiredMode.REQUIRED) Long capacity,
                              @Schema(example = "100", requiredMode = Schema.RequiredMode.REQUIRED) Long refillTokens,
                              @Schema(example = "1000", requiredMode = Schema.RequiredMode.REQUIRED) Long refillPeriodMs) {
    }

    @Schema(description = "A rate-limit plan: a bucket of capacity tokens, refillTokens more every refillPeriodMs;"
            + " version counts its changes")
    public record PlanView(String name, long capacity, long refillTokens, long refillPeriodMs, long version,
                           String updatedAt) {
    }

    @Schema(description = "Plan names; an absent member keeps the tenant's current plan")
    public record TenantPlansRequest(@Schema(example = "small") String tenantPlan,
                                     @Schema(example = "small") String keyPlan) {
    }

    @Schema(description = "The plan limiting the tenant as a whole and the plan limiting each of its API keys")
    public record TenantPlansView(String tenant, PlanView tenantPlan, PlanView keyPlan) {
    }

    public record ApiKeyIssued(String id, String tenant, String apiKey, List<String> roles) {
    }
}
