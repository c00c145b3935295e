package ledger.api.reconciliation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The OpenAPI schemas of the reconciliation answers. {@link ReconciliationViews} and
 * {@link ReconciliationController} write them as JSON trees; these records name the same members with
 * the same types (docs/api-contract.md, rule 5), and the integration tests check every
 * reconciliation answer against them through the served document. Amounts are decimal strings.
 */
public final class ReconciliationDocuments {
    private ReconciliationDocuments() {
    }

    @Schema(description = "The tenant's L3 alert webhook as saved (the secret is never answered)")
    public record ReconWebhook(String url) {
    }

    @Schema(description = "The tenant's known counterparties: a bank or processor record naming another is an L3 break"
            + " UNKNOWN_COUNTERPARTY (alert and account freeze); null when no list is set (not checked)")
    public record ReconCounterparties(
            @Schema(nullable = true, example = "[\"DE89370400440532013000\", \"GB33BUKB20201555555555\"]")
            List<String> counterparties) {
    }

    @Schema(description = "An L1 normalisation of one item: the field, its value as sent and as matched, the rule")
    public record ReconFix(String field, String original, String normalised, String rule) {
    }

    @Schema(description = "An L1 normalisation within a match: the item (SIDE:id) it was applied to")
    public record ReconNormalisation(@Schema(description = "SIDE:id") String item, String field, String original,
                                     String normalised, String rule) {
    }

    @Schema(description = "An item of one side (a ledger posting, a processor report line, a bank statement entry)"
            + " and where the matcher put it")
    public record ReconItem(@Schema(description = "LEDGER, PROCESSOR or BANK") String side,
                            String id,
                            @Schema(nullable = true) String reference,
                            @Schema(nullable = true, description = "the processor payout (group) it belongs to") String payout,
                            @Schema(description = "decimal string") String amount,
                            String currency,
                            String valueDate,
                            @Schema(nullable = true, description = "the reconciled ledger account") String account,
                            @Schema(nullable = true, description = "WAITING, MATCHED or BREAK; null: not taken yet")
                            String status,
                            @Schema(nullable = true, description = "the id of its match or break") String match,
                            @Schema(nullable = true, description = "L1, L2 or L3") String level,
                            @Schema(nullable = true) String reason,
                            @Schema(nullable = true, description = "a LEDGER item's transfer") String transferId,
                            @Schema(nullable = true, description = "the upload it came from (not for LEDGER items)")
                            String uploadId,
                            List<ReconFix> fixes) {
    }

    @Schema(description = "How a break was resolved")
    public record ReconResolution(@Schema(description = "accept, adjust or write_off") String action,
                                  @Schema(nullable = true) String note,
                                  @Schema(nullable = true, description = "the correcting or write-off transfer")
                                  String transferId,
                                  String resolvedAt) {
    }

    @Schema(description = "A break (or match) with its items, L1 fixes and, once resolved, its resolution")
    public record ReconBreak(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                                     description = "OPEN or RESOLVED (a break), MATCHED or DISSOLVED") String status,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                                     description = "L1, L2 or L3") String level,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String reason,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String kind,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String detail,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<ReconItem> items,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<ReconNormalisation> fixes,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                                     description = "the account the circuit breaker froze for it") String frozenAccount,
                             @Schema(description = "only once resolved") ReconResolution resolution,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String openedAt,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String updatedAt) {
    }

    @Schema(description = "One page of the review queue; next continues it")
    public record ReconBreakPage(List<ReconBreak> breaks,
                                 @Schema(nullable = true, description = "the cursor of the next page; null: the last page")
                                 String next) {
    }

    @Schema(description = "The status of a posting's match on each side")
    public record ReconSides(@JsonProperty("LEDGER") @Schema(nullable = true) String ledger,
                             @JsonProperty("PROCESSOR") @Schema(nullable = true) String processor,
                             @JsonProperty("BANK") @Schema(nullable = true) String bank) {
    }

    @Schema(description = "A ledger posting on a reconciled account (an Item) with its match status on every side")
    public record ReconPosting(String side, String id,
                               @Schema(nullable = true) String reference,
                               @Schema(nullable = true) String payout,
                               @Schema(description = "decimal string") String amount,
                               String currency, String valueDate,
                               @Schema(nullable = true) String account,
                               @Schema(nullable = true) String status,
                               @Schema(nullable = true) String match,
                               @Schema(nullable = true) String level,
                               @Schema(nullable = true) String reason,
                               @Schema(nullable = true) String transferId,
                               @Schema(nullable = true) String uploadId,
                               List<ReconFix> fixes,
                               ReconSides sides) {
    }

    @Schema(description = "A ledger transfer's postings on reconciled accounts and their match status on each side")
    public record ReconTransferMatch(String transferId, List<ReconPosting> postings) {
    }

    @Schema(description = "Items of one statement, side, status and currency: how many and their sum")
    public record ReconUploadTally(@Schema(nullable = true, description = "null for a processor report") String statementId,
                                   @Schema(description = "LEDGER, PROCESSOR or BANK") String side,
                                   @Schema(description = "MATCHED or UNMATCHED") String status,
                                   @Schema(description = "MATCHED, WAITING, BREAK or PENDING (not taken yet)") String state,
                                   String currency, long items,
                                   @Schema(description = "decimal string") String amount) {
    }

    @Schema(description = "An upload's items by statement, side and status")
    public record ReconUploadSummary(String uploadId, List<ReconUploadTally> tallies) {
    }

    @Schema(description = "Items of one reconciled account, side, status and currency: how many and their sum")
    public record ReconDayTally(@Schema(nullable = true, description = "the reconciled ledger account") String account,
                                @Schema(description = "LEDGER, PROCESSOR or BANK") String side,
                                @Schema(description = "MATCHED or UNMATCHED") String status,
                                @Schema(description = "MATCHED, WAITING, BREAK or PENDING (not taken yet)") String state,
                                String currency, long items,
                                @Schema(description = "decimal string") String amount) {
    }

    @Schema(description = "One day's items (by value date) of one reconciled account, or of all")
    public record ReconDaySummary(String date,
                                  @Schema(nullable = true, description = "null: every account") String account,
                                  List<ReconDayTally> tallies) {
    }

    @Schema(description = "A bank statement's balances against the ledger's; the ledger balances only when checked")
    public record ReconStatementBalance(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
                                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true)
                                        String ledgerAccount,
                                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true)
                                        String openingBalance,
                                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true)
                                        String openingDate,
                                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true)
                                        String closingBalance,
                                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true)
                                        String closingDate,
                                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                                                description = "AGREE, DIFFER or UNCHECKED") String balanceCheck,
                                        @Schema(description = "the ledger balance at the start of openingDate; not when UNCHECKED")
                                        String ledgerOpeningBalance,
                                        @Schema(description = "the ledger balance at the end of closingDate; not when UNCHECKED")
                                        String ledgerClosingBalance) {
    }

    @Schema(description = "Each bank statement of an upload with its balance check")
    public record ReconStatementBalances(String uploadId, List<ReconStatementBalance> statements) {
    }
}
