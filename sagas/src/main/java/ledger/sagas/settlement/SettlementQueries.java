package ledger.sagas.settlement;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import ledger.audit.Ts6;
import ledger.sagas.settlement.SettlementEvents.QuoteUsed;
import ledger.sagas.settlement.SettlementTables.StepRow;
import ledger.sagas.settlement.SettlementTables.View;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Reads of the settlement view (every list bounded by {@link #PAGE_LIMIT_MAX}). */
public class SettlementQueries {
    public static final int PAGE_LIMIT_MAX = 1000;
    public static final int PAGE_LIMIT_DEFAULT = 100;

    private final DSLContext dsl;

    public SettlementQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A page of settlements, by id; {@code nextCursor} is the id to continue after, null at the end. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "SettlementPage")
    public record Page(List<SettlementView> settlements,
                       @io.swagger.v3.oas.annotations.media.Schema(nullable = true) String nextCursor) {
    }

    /** How many settlements are in each status, over every tenant (for the metrics). */
    public java.util.Map<SettlementStatus, Long> countsByStatus() {
        java.util.Map<SettlementStatus, Long> counts = new java.util.EnumMap<>(SettlementStatus.class);
        for (SettlementStatus status : SettlementStatus.values()) {
            counts.put(status, 0L);
        }
        dsl.select(SettlementTables.View.STATUS, org.jooq.impl.DSL.count()).from(SettlementTables.View.T)
                .groupBy(SettlementTables.View.STATUS)
                .forEach(r -> counts.put(SettlementStatus.valueOf(r.value1()), r.value2().longValue()));
        return counts;
    }

    public Optional<SettlementView> find(String tenant, String id) {
        Record row = dsl.select().from(View.T).where(View.TENANT.eq(tenant)).and(View.ID.eq(id)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        return Optional.of(view(row, steps(tenant, List.of(id)).getOrDefault(id, List.of())));
    }

    /** The settlement's status alone (a waiting read's look between wake-ups); empty if it does not exist. */
    public Optional<String> status(String tenant, String id) {
        return Optional.ofNullable(dsl.select(View.STATUS).from(View.T).where(View.TENANT.eq(tenant))
                .and(View.ID.eq(id)).fetchOne(View.STATUS));
    }

    /**
     * @param status null for every status
     * @param after  the cursor: only ids greater than it; null from the start
     */
    public Page list(String tenant, SettlementStatus status, String after, int limit) {
        Condition where = View.TENANT.eq(tenant);
        if (status != null) {
            where = where.and(View.STATUS.eq(status.name()));
        }
        if (after != null) {
            where = where.and(View.ID.gt(after));
        }
        List<Record> rows = dsl.select().from(View.T).where(where).orderBy(View.ID).limit(limit + 1).fetch();
        boolean more = rows.size() > limit;
        List<Record> page = more ? rows.subList(0, limit) : rows;
        Map<String, List<SettlementView.StepView>> steps = steps(tenant, page.stream().map(r -> r.get(View.ID)).toList());
        List<SettlementView> views = page.stream()
                .map(r -> view(r, steps.getOrDefault(r.get(View.ID), List.of()))).toList();
        return new Page(views, more ? page.get(page.size() - 1).get(View.ID) : null);
    }

    private Map<String, List<SettlementView.StepView>> steps(String tenant, List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return dsl.select(StepRow.ID, StepRow.STEP, StepRow.TRANSFER_ID, StepRow.AT).from(StepRow.T)
                .where(StepRow.TENANT.eq(tenant)).and(StepRow.ID.in(ids))
                .orderBy(StepRow.ID, StepRow.SEQ)
                .limit(ids.size() * 8)
                .fetch()
                .stream()
                .collect(Collectors.groupingBy(r -> r.value1(), java.util.LinkedHashMap::new,
                        Collectors.mapping(r -> new SettlementView.StepView(r.value2(), r.value3(),
                                Ts6.format(r.value4().toInstant())), Collectors.toList())));
    }

    private static SettlementView view(Record r, List<SettlementView.StepView> steps) {
        QuoteUsed quote = new QuoteUsed(r.get(View.QUOTE_ID), r.get(View.QUOTE_PROVIDER),
                r.get(View.SOURCE_CURRENCY), r.get(View.DESTINATION_CURRENCY), r.get(View.QUOTE_RATE),
                r.get(View.QUOTE_BID), r.get(View.QUOTE_ASK), r.get(View.QUOTE_MID),
                Ts6.format(r.get(View.QUOTE_OBTAINED_AT).toInstant()), Ts6.format(r.get(View.QUOTE_EXPIRES_AT).toInstant()));
        return new SettlementView(r.get(View.ID), r.get(View.STATUS), r.get(View.SOURCE_ACCOUNT),
                r.get(View.DESTINATION_ACCOUNT), r.get(View.SOURCE_AMOUNT), r.get(View.SOURCE_CURRENCY),
                r.get(View.DESTINATION_AMOUNT), r.get(View.DESTINATION_CURRENCY), r.get(View.VALUE_AT_MID),
                r.get(View.SPREAD_REVENUE), r.get(View.ROUNDING), r.get(View.ROUNDING_RULE), r.get(View.EXACT_VALUE),
                r.get(View.ROUNDING_DIFFERENCE), quote, steps, r.get(View.REASON_CODE), r.get(View.REASON_DETAIL),
                Ts6.format(r.get(View.DEADLINE).toInstant()), Ts6.format(r.get(View.CREATED_AT).toInstant()),
                Ts6.format(r.get(View.UPDATED_AT).toInstant()));
    }
}
