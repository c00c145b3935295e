package ledger.api.web.dto;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the REST API. Amounts are decimal strings, timestamps RFC 3339 UTC. */
public final class Dtos {
    private Dtos() {
    }

    @Schema(description = "Open an account")
    public record OpenAccountRequest(
            @Schema(example = "wallet-42", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            @Schema(example = "LIABILITY", allowableValues = {"ASSET", "LIABILITY", "EQUITY", "REVENUE", "EXPENSE"},
                    requiredMode = Schema.RequiredMode.REQUIRED) String kind,
            @Schema(description = "absent: no overdraft; an amount such as \"100.00\"; or \"unlimited\"",
                    example = "100.00") String overdraftLimit) {
    }

    public record FreezeRequest(@Schema(example = "fraud review") String reason) {
    }

    @Schema(description = "A two-leg transfer; pending reserves the amount until posted, voided or expired")
    public record TransferRequest(
            @Schema(example = "tr-1001", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(example = "cash", requiredMode = Schema.RequiredMode.REQUIRED) String debitAccount,
            @Schema(example = "wallet-42", requiredMode = Schema.RequiredMode.REQUIRED) String creditAccount,
            @Schema(example = "25.00", requiredMode = Schema.RequiredMode.REQUIRED) String amount,
            @Schema(example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            Boolean pending,
            @Schema(description = "pending only: seconds until an unposted transfer expires") Long timeoutSeconds,
            Map<String, String> metadata) {
    }

    @Schema(description = "One leg: exactly one of debit and credit")
    public record LegRequest(
            @Schema(example = "cash", requiredMode = Schema.RequiredMode.REQUIRED) String account,
            @Schema(example = "10.00") String debit,
            @Schema(example = "10.00") String credit) {
    }

    @Schema(description = "A multi-leg journal entry, balanced per currency")
    public record EntryRequest(
            @Schema(example = "je-7", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<LegRequest> legs,
            Map<String, String> metadata) {
    }

    public record PostPendingRequest(@Schema(description = "absent: post the whole pending amount", example = "20.00")
                                     String amount) {
    }

    public record TenantRequest(@Schema(example = "acme", requiredMode = Schema.RequiredMode.REQUIRED) String id) {
    }

    public record ApiKeyRequest(@Schema(example = "[\"payments\"]", requiredMode = Schema.RequiredMode.REQUIRED)
                                List<String> roles) {
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

    public record TrialBalanceLine(String account, String currency, String kind, String debits, String credits) {
    }

    public record TrialBalanceTotal(String currency, String debits, String credits, int accounts, boolean balanced) {
    }

    public record TrialBalance(List<TrialBalanceLine> accounts, List<TrialBalanceTotal> totals, boolean truncated) {
    }

    public record TenantCreated(String tenant, String apiKeyId, String apiKey, List<String> roles) {
    }

    public record ApiKeyIssued(String id, String tenant, String apiKey, List<String> roles) {
    }
}
