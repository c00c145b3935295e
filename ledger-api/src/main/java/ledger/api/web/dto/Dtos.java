package ledger.api.web.dto;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Bodies only REST has (administration, reports). The requests and answers both APIs share are
 * {@link ledger.api.app.Requests} and {@link ledger.api.app.Views}.
 */
public final class Dtos {
    private Dtos() {
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

    public record ApiKeyIssued(String id, String tenant, String apiKey, List<String> roles) {
    }
}
