package ledger.api.tax;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import ledger.api.app.Views.JsonObject;

/**
 * The OpenAPI schemas of the tax answers ({@link TaxController} writes them as JSON trees from the
 * rule engine's evaluation, docs/tax-prefill.md). These records name the same members with the same
 * types; the values of outputs and inputs and the explanation nodes depend on the rule pack, so they
 * are free-form JSON here. The integration tests check every tax answer against them through the
 * served document.
 */
public final class TaxDocuments {
    private TaxDocuments() {
    }

    @Schema(description = "The rule pack that was evaluated")
    public record Pack(String name, String version, String sha256, String file, String jurisdiction,
                       @Schema(description = "ISO date") String validFrom,
                       @Schema(description = "ISO date; null: open-ended", nullable = true) String validTo,
                       List<String> sources) {
    }

    @Schema(description = "An evaluation: outputs by name and the explanation tree of how each was reached")
    public record Evaluation(Pack pack,
                             @Schema(description = "output name to value (a decimal string, a money object,"
                                     + " a number or a boolean, by the output's type)",
                                     implementation = JsonObject.class)
                             Map<String, Object> outputs,
                             @Schema(description = "explanation nodes (name, value, kind, type, rule, at, ...)")
                             List<JsonObject> explanation,
                             int steps,
                             @Schema(description = "the explanation as text") String text) {
    }

    @Schema(description = "A payee's withholding for a month, pre-filled from payroll postings, and its evaluation")
    public record Prefill(String jurisdiction, String payee, @Schema(description = "yyyy-MM") String period,
                          Withholding withholding,
                          @Schema(description = "input name to its value, type and source",
                                  implementation = JsonObject.class)
                          Map<String, Object> inputs,
                          @Schema(description = "per month: period and the posted amount of each payroll category")
                          List<JsonObject> months,
                          List<UnusablePosting> unusablePostings,
                          Pack pack,
                          @Schema(implementation = JsonObject.class)
                          Map<String, Object> outputs,
                          List<JsonObject> explanation,
                          int steps,
                          String text) {
    }

    public record Withholding(@Schema(description = "the pack's output that is withheld") String output,
                              @Schema(description = "decimal string") String amount, String currency) {
    }

    @Schema(description = "A payroll posting whose metadata could not be used (it was recorded, not applied)")
    public record UnusablePosting(String transferId, @Schema(nullable = true) String period, String problem) {
    }
}
