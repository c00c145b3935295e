package ledger.sagas.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import ledger.sagas.reconciliation.ReconTables.OutcomeRow;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationBreakResolved;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomeRecorded;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;

/**
 * Writes each match and break as its last {@link ReconciliationOutcomeRecorded} says, in the
 * transaction that appends the event (subscribing). Idempotent: an event older than the row's
 * ({@code seq}) changes nothing.
 */
@ProcessingGroup(OutcomeProjection.GROUP)
public class OutcomeProjection {
    public static final String GROUP = "reconciliation-outcomes";
    static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;

    public OutcomeProjection(DSLContext dsl) {
        this.dsl = dsl;
    }

    @EventHandler
    void on(ReconciliationOutcomeRecorded o, @Timestamp Instant at, @SequenceNumber long seq) {
        OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
        String items = json(o.items());
        String fixes = json(o.fixes());
        dsl.insertInto(OutcomeRow.T)
                .set(OutcomeRow.TENANT, o.tenant()).set(OutcomeRow.ID, o.outcomeId())
                .set(OutcomeRow.MATCHER_ID, o.matcherId()).set(OutcomeRow.STATUS, o.status())
                .set(OutcomeRow.KIND, o.kind()).set(OutcomeRow.REASON, o.reason()).set(OutcomeRow.LEVEL, o.level())
                .set(OutcomeRow.DETAIL, o.detail()).set(OutcomeRow.ITEMS, items).set(OutcomeRow.FIXES, fixes)
                .set(OutcomeRow.SEQ, seq).set(OutcomeRow.OPENED_AT, time).set(OutcomeRow.UPDATED_AT, time)
                .onConflict(OutcomeRow.TENANT, OutcomeRow.ID).doUpdate()
                .set(OutcomeRow.STATUS, o.status()).set(OutcomeRow.KIND, o.kind()).set(OutcomeRow.REASON, o.reason())
                .set(OutcomeRow.LEVEL, o.level()).set(OutcomeRow.DETAIL, o.detail()).set(OutcomeRow.ITEMS, items)
                .set(OutcomeRow.FIXES, fixes).set(OutcomeRow.SEQ, seq).set(OutcomeRow.UPDATED_AT, time)
                .where(org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("recon_outcome", "seq"), Long.class).lt(seq))
                .execute();
    }

    /**
     * A batch: one multi-row upsert. Events reach this handler once, in commit order (subscribing, in
     * the appending transaction), so the newest decision is the last written; {@code seq} counts writes.
     */
    @EventHandler
    void on(ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomesRecorded batch, @Timestamp Instant at) {
        OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
        var insert = dsl.insertInto(OutcomeRow.T, OutcomeRow.TENANT, OutcomeRow.ID, OutcomeRow.MATCHER_ID,
                OutcomeRow.STATUS, OutcomeRow.KIND, OutcomeRow.REASON, OutcomeRow.LEVEL, OutcomeRow.DETAIL,
                OutcomeRow.ITEMS, OutcomeRow.FIXES, OutcomeRow.SEQ, OutcomeRow.OPENED_AT, OutcomeRow.UPDATED_AT);
        for (ReconciliationOutcomeRecorded o : batch.outcomes()) {
            insert = insert.values(o.tenant(), o.outcomeId(), o.matcherId(), o.status(), o.kind(), o.reason(), o.level(),
                    o.detail(), json(o.items()), json(o.fixes()), 0L, time, time);
        }
        insert.onConflict(OutcomeRow.TENANT, OutcomeRow.ID).doUpdate()
                .set(OutcomeRow.STATUS, excluded(OutcomeRow.STATUS)).set(OutcomeRow.KIND, excluded(OutcomeRow.KIND))
                .set(OutcomeRow.REASON, excluded(OutcomeRow.REASON)).set(OutcomeRow.LEVEL, excluded(OutcomeRow.LEVEL))
                .set(OutcomeRow.DETAIL, excluded(OutcomeRow.DETAIL)).set(OutcomeRow.ITEMS, excluded(OutcomeRow.ITEMS))
                .set(OutcomeRow.FIXES, excluded(OutcomeRow.FIXES))
                .set(OutcomeRow.SEQ, org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("recon_outcome", "seq"), Long.class).plus(1))
                .set(OutcomeRow.UPDATED_AT, excluded(OutcomeRow.UPDATED_AT))
                .execute();
    }

    private static <T> org.jooq.Field<T> excluded(org.jooq.Field<T> field) {
        return org.jooq.impl.DSL.excluded(field);
    }

    @EventHandler
    void on(ReconciliationBreakResolved r, @Timestamp Instant at) {
        dsl.update(OutcomeRow.T).set(OutcomeRow.RESOLUTION, r.action()).set(OutcomeRow.NOTE, r.note())
                .set(OutcomeRow.RESOLUTION_TRANSFER_ID, r.transferId())
                .set(OutcomeRow.RESOLVED_AT, at.atOffset(ZoneOffset.UTC))
                .where(OutcomeRow.TENANT.eq(r.tenant()).and(OutcomeRow.ID.eq(r.outcomeId()))
                        .and(OutcomeRow.RESOLUTION.isNull()))
                .execute();
    }

    @EventHandler
    void on(ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationAccountFrozen f) {
        dsl.update(OutcomeRow.T).set(OutcomeRow.FROZEN_ACCOUNT, f.account())
                .where(OutcomeRow.TENANT.eq(f.tenant()).and(OutcomeRow.ID.eq(f.outcomeId())))
                .execute();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
