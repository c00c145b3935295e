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
    public record BatchResult(int index, boolean ok, boolean replayed, ledger.api.app.Views.TransferView transfer,
                              String code, String detail, boolean existed, List<String> fields) {
    }

    public record BatchResponse(List<BatchResult> results) {
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
