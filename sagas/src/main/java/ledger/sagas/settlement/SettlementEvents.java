package ledger.sagas.settlement;

import java.util.List;
import ledger.domain.event.EventType;
import org.axonframework.serialization.Revision;

/**
 * Events of the {@code Settlement} aggregate (docs/settlement.md, "Events"). {@link SettlementStarted}
 * holds everything the settlement was decided on (the quote, the rounding rule and every amount),
 * so a settlement can be recomputed from history alone; the others record its progress. Amounts
 * are decimal strings in their currency's minor unit, times RFC 3339 UTC with microseconds.
 */
public final class SettlementEvents {
    private SettlementEvents() {
    }

    /** The quote a settlement used, as it was when the settlement was accepted. */
    public record QuoteUsed(String id, String provider, String from, String to, String rate, String bid, String ask,
                            String mid, String obtainedAt, String expiresAt) {
    }

    /** The tenant's house accounts a settlement posts to (opened on demand). */
    public record HouseAccounts(String sourcePosition, String destinationPosition, String revenue, String rounding) {
    }

    /**
     * A settlement accepted. {@code rule} is the conversion's rounding rule; {@code exactValue} and
     * {@code roundingDifference} are exact decimals (S × r and S × r − D), the rest whole minor units
     * with valueAtMid = destinationAmount + spreadRevenuePosted + roundingPosted.
     */
    @EventType("ledger.SettlementStarted")
    @Revision("1")
    public record SettlementStarted(String tenant, String settlementId, String sourceAccount,
                                    String destinationAccount, String sourceCurrency, String destinationCurrency,
                                    String sourceAmount, String destinationAmount, String rule, String exactValue,
                                    String roundingDifference, String valueAtMid, String spreadRevenuePosted,
                                    String roundingPosted, QuoteUsed quote, HouseAccounts house, String deadline) {
    }

    /** One step done: {@code transferId} is the ledger transfer or entry that did it. */
    @EventType("ledger.SettlementStepDone")
    @Revision("1")
    public record SettlementStepDone(String tenant, String settlementId, String step, String transferId) {
    }

    /**
     * The settlement's quote expired before its destination side and the service re-quotes
     * (docs/settlement.md, "Re-quote"): the new quote and every amount decided on it, replacing
     * those of {@link SettlementStarted} (same meaning, same invariants). At most once per settlement.
     */
    @EventType("ledger.SettlementRequoted")
    @Revision("1")
    public record SettlementRequoted(String tenant, String settlementId, String sourceAmount, String destinationAmount,
                                     String exactValue, String roundingDifference, String valueAtMid,
                                     String spreadRevenuePosted, String roundingPosted, QuoteUsed quote) {
    }

    /**
     * The ledger refused a step's command: {@code code} its stable refusal code, {@code detail} why.
     * The compensation that follows is the next event.
     */
    @EventType("ledger.SettlementStepRefused")
    @Revision("1")
    public record SettlementStepRefused(String tenant, String settlementId, String step, String code,
                                        String detail) {
    }

    @EventType("ledger.SettlementCompleted")
    @Revision("1")
    public record SettlementCompleted(String tenant, String settlementId) {
    }

    /**
     * A settlement undone: {@code undone} lists what compensated it (the voided reservation, the
     * reversing entry), {@code reasonCode} a stable code and {@code reasonDetail} why.
     */
    @EventType("ledger.SettlementCompensated")
    @Revision("1")
    public record SettlementCompensated(String tenant, String settlementId, String reasonCode, String reasonDetail,
                                        List<String> undone) {
    }

    /** A settlement that posted nothing (the reservation was refused). */
    @EventType("ledger.SettlementFailed")
    @Revision("1")
    public record SettlementFailed(String tenant, String settlementId, String reasonCode, String reasonDetail) {
    }
}
