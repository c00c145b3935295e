package ledger.api.grpc;

import ledger.api.app.Settling.SettlementRequest;
import ledger.grpc.v1.CreateSettlementRequest;
import ledger.grpc.v1.Settlement;
import ledger.grpc.v1.SettlementQuote;
import ledger.grpc.v1.SettlementStep;
import ledger.sagas.settlement.SettlementEvents.QuoteUsed;
import ledger.sagas.settlement.SettlementView;

/**
 * Settlements between protobuf and the application layer: a request becomes REST's
 * {@link SettlementRequest} (so an idempotency key hashes alike on both APIs), a view is copied
 * field by field (absent is the empty string).
 */
final class SettlementProtoViews {
    private SettlementProtoViews() {
    }

    static SettlementRequest request(CreateSettlementRequest r) {
        return new SettlementRequest(absent(r.getId()), absent(r.getSourceAccount()),
                absent(r.getDestinationAccount()), r.hasSourceAmount() ? r.getSourceAmount() : null,
                r.hasDestinationAmount() ? r.getDestinationAmount() : null, absent(r.getQuoteId()));
    }

    static Settlement settlement(SettlementView v) {
        Settlement.Builder b = Settlement.newBuilder()
                .setId(v.id()).setStatus(v.status())
                .setSourceAccount(v.sourceAccount()).setDestinationAccount(v.destinationAccount())
                .setSourceAmount(v.sourceAmount()).setSourceCurrency(v.sourceCurrency())
                .setDestinationAmount(v.destinationAmount()).setDestinationCurrency(v.destinationCurrency())
                .setValueAtMid(v.valueAtMid()).setSpreadRevenue(v.spreadRevenue()).setRounding(v.rounding())
                .setRoundingRule(v.roundingRule()).setExactValue(v.exactValue())
                .setRoundingDifference(v.roundingDifference())
                .setQuote(quote(v.quote()))
                .setReasonCode(text(v.reasonCode())).setReasonDetail(text(v.reasonDetail()))
                .setDeadline(text(v.deadline())).setCreatedAt(text(v.createdAt())).setUpdatedAt(text(v.updatedAt()));
        v.steps().forEach(s -> b.addSteps(SettlementStep.newBuilder().setStep(s.step())
                .setTransferId(text(s.transferId())).setAt(s.at())));
        return b.build();
    }

    private static SettlementQuote quote(QuoteUsed q) {
        return SettlementQuote.newBuilder().setId(q.id()).setProvider(q.provider()).setFrom(q.from()).setTo(q.to())
                .setRate(q.rate()).setBid(q.bid()).setAsk(q.ask()).setMid(q.mid())
                .setObtainedAt(q.obtainedAt()).setExpiresAt(q.expiresAt()).build();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String absent(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
