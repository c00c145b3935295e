package ledger.sagas.settlement;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import ledger.sagas.settlement.SettlementEvents.QuoteUsed;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;

/**
 * A settlement as the API shows it (docs/settlement.md, "The view"): its status, the amounts in both
 * currencies and where the value went, the quote, each step with its time, and why it was undone.
 * Amounts are decimal strings; times RFC 3339 UTC with microseconds; null is absent.
 */
public record SettlementView(String id, String status, String sourceAccount, String destinationAccount,
                             String sourceAmount, String sourceCurrency, String destinationAmount,
                             String destinationCurrency, String valueAtMid, String spreadRevenue, String rounding,
                             String roundingRule, String exactValue, String roundingDifference, QuoteUsed quote,
                             List<StepView> steps,
                             @Schema(nullable = true, description = "why it was undone") String reasonCode,
                             @Schema(nullable = true) String reasonDetail, String deadline,
                             @Schema(nullable = true, description = "null in the answer to the request")
                             String createdAt,
                             @Schema(nullable = true, description = "null in the answer to the request")
                             String updatedAt) {

    /** One step: ACCEPTED, RESERVED, DESTINATION_POSTED, RESERVATION_POSTED, then COMPLETED, COMPENSATED or FAILED. */
    public record StepView(String step, @Schema(nullable = true, description = "the step's transfer, if it posted one")
                           String transferId, String at) {
    }

    /** The view of a settlement just accepted: what {@code POST /v1/settlements} answers (and replays). */
    public static SettlementView accepted(SettlementStarted s) {
        return new SettlementView(s.settlementId(), SettlementStatus.PENDING.name(), s.sourceAccount(),
                s.destinationAccount(), s.sourceAmount(), s.sourceCurrency(), s.destinationAmount(),
                s.destinationCurrency(), s.valueAtMid(), s.spreadRevenuePosted(), s.roundingPosted(), s.rule(),
                s.exactValue(), s.roundingDifference(), s.quote(), List.of(), null, null, s.deadline(), null, null);
    }
}
