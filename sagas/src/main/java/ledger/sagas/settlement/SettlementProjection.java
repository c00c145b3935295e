package ledger.sagas.settlement;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import ledger.sagas.settlement.SettlementEvents.QuoteUsed;
import ledger.sagas.settlement.SettlementEvents.SettlementCompensated;
import ledger.sagas.settlement.SettlementEvents.SettlementCompleted;
import ledger.sagas.settlement.SettlementEvents.SettlementFailed;
import ledger.sagas.settlement.SettlementEvents.SettlementRequoted;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;
import ledger.sagas.settlement.SettlementEvents.SettlementStepDone;
import ledger.sagas.settlement.SettlementTables.StepRow;
import ledger.sagas.settlement.SettlementTables.View;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;

/**
 * Writes the settlement view from the {@link Settlement}'s events. Registered as a subscribing
 * processor, so each write is in the transaction that appends its event. Every write is idempotent:
 * rows are inserted once, and a final status is never overwritten by an older one.
 */
@ProcessingGroup(SettlementProjection.GROUP)
public class SettlementProjection {
    public static final String GROUP = "settlement-view";

    private final DSLContext dsl;
    private final java.util.function.BiConsumer<String, String> ended;

    public SettlementProjection(DSLContext dsl) {
        this(dsl, (tenant, id) -> {
        });
    }

    /** @param ended told (tenant, id) once the transaction that ended a settlement has committed */
    public SettlementProjection(DSLContext dsl, java.util.function.BiConsumer<String, String> ended) {
        this.dsl = dsl;
        this.ended = ended;
    }

    @EventHandler
    void on(SettlementStarted s, @Timestamp Instant at, @SequenceNumber long seq) {
        QuoteUsed q = s.quote();
        OffsetDateTime time = utc(at);
        dsl.insertInto(View.T)
                .set(View.TENANT, s.tenant()).set(View.ID, s.settlementId())
                .set(View.STATUS, SettlementStatus.PENDING.name())
                .set(View.SOURCE_ACCOUNT, s.sourceAccount()).set(View.DESTINATION_ACCOUNT, s.destinationAccount())
                .set(View.SOURCE_CURRENCY, s.sourceCurrency()).set(View.DESTINATION_CURRENCY, s.destinationCurrency())
                .set(View.SOURCE_AMOUNT, s.sourceAmount()).set(View.DESTINATION_AMOUNT, s.destinationAmount())
                .set(View.VALUE_AT_MID, s.valueAtMid()).set(View.SPREAD_REVENUE, s.spreadRevenuePosted())
                .set(View.ROUNDING, s.roundingPosted()).set(View.ROUNDING_RULE, s.rule())
                .set(View.EXACT_VALUE, s.exactValue()).set(View.ROUNDING_DIFFERENCE, s.roundingDifference())
                .set(View.QUOTE_ID, q.id()).set(View.QUOTE_PROVIDER, q.provider()).set(View.QUOTE_RATE, q.rate())
                .set(View.QUOTE_BID, q.bid()).set(View.QUOTE_ASK, q.ask()).set(View.QUOTE_MID, q.mid())
                .set(View.QUOTE_OBTAINED_AT, utc(Instant.parse(q.obtainedAt())))
                .set(View.QUOTE_EXPIRES_AT, utc(Instant.parse(q.expiresAt())))
                .set(View.DEADLINE, utc(Instant.parse(s.deadline())))
                .set(View.CREATED_AT, time).set(View.UPDATED_AT, time)
                .onConflictDoNothing()
                .execute();
        step(s.tenant(), s.settlementId(), seq, "ACCEPTED", null, time);
    }

    /** A re-quote replaces the quote and the amounts decided on it; the view lists it as step REQUOTED. */
    @EventHandler
    void on(SettlementRequoted r, @Timestamp Instant at, @SequenceNumber long seq) {
        QuoteUsed q = r.quote();
        dsl.update(View.T)
                .set(View.SOURCE_AMOUNT, r.sourceAmount()).set(View.DESTINATION_AMOUNT, r.destinationAmount())
                .set(View.VALUE_AT_MID, r.valueAtMid()).set(View.SPREAD_REVENUE, r.spreadRevenuePosted())
                .set(View.ROUNDING, r.roundingPosted())
                .set(View.EXACT_VALUE, r.exactValue()).set(View.ROUNDING_DIFFERENCE, r.roundingDifference())
                .set(View.QUOTE_ID, q.id()).set(View.QUOTE_PROVIDER, q.provider()).set(View.QUOTE_RATE, q.rate())
                .set(View.QUOTE_BID, q.bid()).set(View.QUOTE_ASK, q.ask()).set(View.QUOTE_MID, q.mid())
                .set(View.QUOTE_OBTAINED_AT, utc(Instant.parse(q.obtainedAt())))
                .set(View.QUOTE_EXPIRES_AT, utc(Instant.parse(q.expiresAt())))
                .where(View.TENANT.eq(r.tenant())).and(View.ID.eq(r.settlementId()))
                .execute();
        step(r.tenant(), r.settlementId(), seq, "REQUOTED", null, utc(at));
        touch(r.tenant(), r.settlementId(), utc(at));
    }

    @EventHandler
    void on(SettlementStepDone s, @Timestamp Instant at, @SequenceNumber long seq) {
        step(s.tenant(), s.settlementId(), seq, s.step(), s.transferId(), utc(at));
        touch(s.tenant(), s.settlementId(), utc(at));
    }

    @EventHandler
    void on(SettlementCompleted s, @Timestamp Instant at, @SequenceNumber long seq) {
        finish(s.tenant(), s.settlementId(), seq, SettlementStatus.COMPLETED, null, null, utc(at));
    }

    @EventHandler
    void on(SettlementCompensated s, @Timestamp Instant at, @SequenceNumber long seq) {
        finish(s.tenant(), s.settlementId(), seq, SettlementStatus.COMPENSATED, s.reasonCode(), s.reasonDetail(), utc(at));
    }

    @EventHandler
    void on(SettlementFailed s, @Timestamp Instant at, @SequenceNumber long seq) {
        finish(s.tenant(), s.settlementId(), seq, SettlementStatus.FAILED, s.reasonCode(), s.reasonDetail(), utc(at));
    }

    private void finish(String tenant, String id, long seq, SettlementStatus status, String code, String detail,
                        OffsetDateTime at) {
        dsl.update(View.T)
                .set(View.STATUS, status.name()).set(View.REASON_CODE, code).set(View.REASON_DETAIL, detail)
                .set(View.UPDATED_AT, at)
                .where(View.TENANT.eq(tenant)).and(View.ID.eq(id))
                .and(View.STATUS.eq(SettlementStatus.PENDING.name()))
                .execute();
        step(tenant, id, seq, status.name(), null, at);
        if (org.axonframework.messaging.unitofwork.CurrentUnitOfWork.isStarted()) {
            org.axonframework.messaging.unitofwork.CurrentUnitOfWork.get().afterCommit(u -> ended.accept(tenant, id));
        } else {
            ended.accept(tenant, id);
        }
    }

    private void touch(String tenant, String id, OffsetDateTime at) {
        dsl.update(View.T).set(View.UPDATED_AT, at)
                .where(View.TENANT.eq(tenant)).and(View.ID.eq(id)).and(View.UPDATED_AT.lt(at))
                .execute();
    }

    private void step(String tenant, String id, long seq, String step, String transferId, OffsetDateTime at) {
        dsl.insertInto(StepRow.T)
                .set(StepRow.TENANT, tenant).set(StepRow.ID, id).set(StepRow.SEQ, seq).set(StepRow.STEP, step)
                .set(StepRow.TRANSFER_ID, transferId).set(StepRow.AT, at)
                .onConflictDoNothing()
                .execute();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
