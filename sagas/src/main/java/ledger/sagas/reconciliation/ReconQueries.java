package ledger.sagas.reconciliation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import ledger.sagas.reconciliation.ReconTables.Item;
import ledger.sagas.reconciliation.ReconTables.OutcomeRow;
import ledger.sagas.reconciliation.ReconTables.Statement;
import ledger.sagas.reconciliation.ReconTables.Upload;
import org.jooq.DSLContext;
import org.jooq.Records;

/** Reads of the reconciliation tables, every list bounded. */
public class ReconQueries {
    /** Bank statements listed for one upload at most. */
    public static final int STATEMENTS_MAX = 1_000;

    private final DSLContext dsl;

    public ReconQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record UploadRow(String uploadId, String sha256, long bytes, String format, String detectedFormat,
                            String mapping, String ledgerAccount, String status, int chunks, long records,
                            int statements, OffsetDateTime createdAt, OffsetDateTime completedAt) {
    }

    public record StatementRow(int seq, String statementId, String account, String ledgerAccount, String currency,
                               BigDecimal openingBalance, LocalDate openingDate, BigDecimal closingBalance,
                               LocalDate closingDate, long entries) {
    }

    /** Items listed for one outcome or transfer at most. */
    public static final int ITEMS_MAX = 1_000;
    public static final int PAGE_MAX = 200;

    public record ItemRow(String side, String itemId, String uploadId, String reference, String groupKey,
                          BigDecimal amount, String currency, String valueDate, String ledgerAccount, String status,
                          String outcomeId, String kind, String reason, String level, String fixes, String transferId) {
    }

    public record OutcomeView(String outcomeId, String status, String kind, String reason, String level, String detail,
                              String items, String fixes, String resolution, String note, String resolutionTransferId,
                              OffsetDateTime openedAt, OffsetDateTime updatedAt, OffsetDateTime resolvedAt,
                              String frozenAccount) {
    }

    /**
     * Breaks by id after {@code afterId}: of one level or all, open ({@code resolved} false), resolved
     * (true) or both (null).
     */
    public List<OutcomeView> breaks(String tenant, String level, Boolean resolved, String afterId, int limit) {
        org.jooq.Condition where = OutcomeRow.TENANT.eq(tenant).and(OutcomeRow.STATUS.eq("BREAK"));
        if (level != null) {
            where = where.and(OutcomeRow.LEVEL.eq(level));
        }
        if (resolved != null) {
            where = where.and(resolved ? OutcomeRow.RESOLUTION.isNotNull() : OutcomeRow.RESOLUTION.isNull());
        }
        if (afterId != null) {
            where = where.and(OutcomeRow.ID.gt(afterId));
        }
        return outcomes().where(where).orderBy(OutcomeRow.ID).limit(Math.min(limit, PAGE_MAX))
                .fetch(Records.mapping(OutcomeView::new));
    }

    public Optional<OutcomeView> outcome(String tenant, String outcomeId) {
        return outcomes().where(OutcomeRow.TENANT.eq(tenant).and(OutcomeRow.ID.eq(outcomeId)))
                .fetchOptional(Records.mapping(OutcomeView::new));
    }

    public List<ItemRow> outcomeItems(String tenant, String outcomeId) {
        return items().where(Item.TENANT.eq(tenant).and(Item.OUTCOME_ID.eq(outcomeId)))
                .orderBy(Item.SIDE, Item.ID).limit(ITEMS_MAX).fetch(Records.mapping(ItemRow::new));
    }

    /** A ledger transfer's items (one per reconciled account it posted to). */
    public List<ItemRow> transferItems(String tenant, String transferId) {
        return items().where(Item.TENANT.eq(tenant).and(Item.TRANSFER_ID.eq(transferId)))
                .orderBy(Item.ID).limit(ITEMS_MAX).fetch(Records.mapping(ItemRow::new));
    }

    private org.jooq.SelectJoinStep<org.jooq.Record16<String, String, String, String, String, BigDecimal, String, String,
            String, String, String, String, String, String, String, String>> items() {
        return dsl.select(Item.SIDE, Item.ID, Item.UPLOAD_ID, Item.REFERENCE, Item.GROUP_KEY, Item.AMOUNT, Item.CURRENCY,
                        Item.VALUE_DATE, Item.LEDGER_ACCOUNT, Item.STATUS, Item.OUTCOME_ID, Item.KIND, Item.REASON,
                        Item.LEVEL, Item.FIXES, Item.TRANSFER_ID)
                .from(Item.T);
    }

    private org.jooq.SelectJoinStep<org.jooq.Record15<String, String, String, String, String, String, String, String,
            String, String, String, OffsetDateTime, OffsetDateTime, OffsetDateTime, String>> outcomes() {
        return dsl.select(OutcomeRow.ID, OutcomeRow.STATUS, OutcomeRow.KIND, OutcomeRow.REASON, OutcomeRow.LEVEL,
                        OutcomeRow.DETAIL, OutcomeRow.ITEMS, OutcomeRow.FIXES, OutcomeRow.RESOLUTION, OutcomeRow.NOTE,
                        OutcomeRow.RESOLUTION_TRANSFER_ID, OutcomeRow.OPENED_AT, OutcomeRow.UPDATED_AT,
                        OutcomeRow.RESOLVED_AT, OutcomeRow.FROZEN_ACCOUNT)
                .from(OutcomeRow.T);
    }

    /** Items of one status on one side, counted and summed (amounts signed, money in positive). */
    public record Tally(String group, String side, String status, String currency, long items, BigDecimal amount) {
    }

    /** An upload's items by statement, side, status and currency (a processor report's group is null). */
    public List<Tally> uploadTallies(String tenant, String uploadId) {
        return dsl.select(Item.STATEMENT_ID, Item.SIDE, org.jooq.impl.DSL.coalesce(Item.STATUS, "PENDING"),
                        Item.CURRENCY, org.jooq.impl.DSL.count().cast(Long.class), org.jooq.impl.DSL.sum(Item.AMOUNT))
                .from(Item.T)
                .where(Item.TENANT.eq(tenant).and(Item.UPLOAD_ID.eq(uploadId)))
                .groupBy(Item.STATEMENT_ID, Item.SIDE, Item.STATUS, Item.CURRENCY)
                .orderBy(Item.STATEMENT_ID, Item.SIDE, Item.STATUS, Item.CURRENCY)
                .limit(ITEMS_MAX)
                .fetch(Records.mapping(Tally::new));
    }

    /** One day's items of one reconciled account (every account when null), by side, status and currency. */
    public List<Tally> dayTallies(String tenant, String day, String account) {
        org.jooq.Condition where = Item.TENANT.eq(tenant).and(Item.VALUE_DATE.eq(day));
        if (account != null) {
            where = where.and(Item.LEDGER_ACCOUNT.eq(account));
        }
        return dsl.select(Item.LEDGER_ACCOUNT, Item.SIDE, org.jooq.impl.DSL.coalesce(Item.STATUS, "PENDING"),
                        Item.CURRENCY, org.jooq.impl.DSL.count().cast(Long.class), org.jooq.impl.DSL.sum(Item.AMOUNT))
                .from(Item.T)
                .where(where)
                .groupBy(Item.LEDGER_ACCOUNT, Item.SIDE, Item.STATUS, Item.CURRENCY)
                .orderBy(Item.LEDGER_ACCOUNT, Item.SIDE, Item.STATUS, Item.CURRENCY)
                .limit(ITEMS_MAX)
                .fetch(Records.mapping(Tally::new));
    }

    /** A tenant's webhook: url and secret. */
    public record WebhookRow(String url, String secret) {
    }

    public Optional<WebhookRow> webhook(String tenant) {
        return dsl.select(ReconTables.Webhook.URL, ReconTables.Webhook.SECRET).from(ReconTables.Webhook.T)
                .where(ReconTables.Webhook.TENANT.eq(tenant)).fetchOptional(Records.mapping(WebhookRow::new));
    }

    public void saveWebhook(String tenant, String url, String secret, OffsetDateTime at) {
        dsl.insertInto(ReconTables.Webhook.T).set(ReconTables.Webhook.TENANT, tenant).set(ReconTables.Webhook.URL, url)
                .set(ReconTables.Webhook.SECRET, secret).set(ReconTables.Webhook.UPDATED_AT, at)
                .onConflict(ReconTables.Webhook.TENANT).doUpdate()
                .set(ReconTables.Webhook.URL, url).set(ReconTables.Webhook.SECRET, secret)
                .set(ReconTables.Webhook.UPDATED_AT, at)
                .execute();
    }

    /** A tenant's known counterparties as set (none: not checked). */
    public Optional<List<String>> counterparties(String tenant) {
        return dsl.select(ReconTables.Counterparties.NAMES).from(ReconTables.Counterparties.T)
                .where(ReconTables.Counterparties.TENANT.eq(tenant))
                .fetchOptional(ReconTables.Counterparties.NAMES).map(List::of);
    }

    public void saveCounterparties(String tenant, List<String> names, OffsetDateTime at) {
        String[] array = names.toArray(String[]::new);
        dsl.insertInto(ReconTables.Counterparties.T).set(ReconTables.Counterparties.TENANT, tenant)
                .set(ReconTables.Counterparties.NAMES, array).set(ReconTables.Counterparties.UPDATED_AT, at)
                .onConflict(ReconTables.Counterparties.TENANT).doUpdate()
                .set(ReconTables.Counterparties.NAMES, array).set(ReconTables.Counterparties.UPDATED_AT, at)
                .execute();
    }

    /** Removes the tenant's list: counterparties are no longer checked. Whether there was one. */
    public boolean deleteCounterparties(String tenant) {
        return dsl.deleteFrom(ReconTables.Counterparties.T).where(ReconTables.Counterparties.TENANT.eq(tenant))
                .execute() > 0;
    }

    /** The account an L3 break froze, if it did. */
    public Optional<String> frozenAccount(String tenant, String outcomeId) {
        return dsl.select(OutcomeRow.FROZEN_ACCOUNT).from(OutcomeRow.T)
                .where(OutcomeRow.TENANT.eq(tenant).and(OutcomeRow.ID.eq(outcomeId)))
                .fetchOptional(OutcomeRow.FROZEN_ACCOUNT).filter(a -> a != null);
    }

    /** Open (unresolved) breaks other than {@code except} that hold {@code account} frozen. */
    public boolean otherOpenBreakFreezes(String tenant, String account, String except) {
        return dsl.fetchExists(dsl.selectOne().from(OutcomeRow.T).where(OutcomeRow.TENANT.eq(tenant)
                .and(OutcomeRow.FROZEN_ACCOUNT.eq(account)).and(OutcomeRow.RESOLUTION.isNull())
                .and(OutcomeRow.ID.ne(except)).and(OutcomeRow.STATUS.eq("BREAK"))));
    }

    public Optional<UploadRow> uploadByDigest(String tenant, String sha256) {
        return uploads().where(Upload.TENANT.eq(tenant).and(Upload.SHA256.eq(sha256)))
                .fetchOptional(Records.mapping(UploadRow::new));
    }

    public Optional<UploadRow> upload(String tenant, String uploadId) {
        return uploads().where(Upload.TENANT.eq(tenant).and(Upload.ID.eq(uploadId)))
                .fetchOptional(Records.mapping(UploadRow::new));
    }

    public List<StatementRow> statements(String tenant, String uploadId) {
        return dsl.select(Statement.SEQ, Statement.STATEMENT_ID, Statement.ACCOUNT, Statement.LEDGER_ACCOUNT,
                        Statement.CURRENCY, Statement.OPENING_BALANCE, Statement.OPENING_DATE, Statement.CLOSING_BALANCE,
                        Statement.CLOSING_DATE, Statement.ENTRIES)
                .from(Statement.T)
                .where(Statement.TENANT.eq(tenant).and(Statement.UPLOAD_ID.eq(uploadId)))
                .orderBy(Statement.SEQ)
                .limit(STATEMENTS_MAX)
                .fetch(Records.mapping(StatementRow::new));
    }

    private org.jooq.SelectJoinStep<org.jooq.Record13<String, String, Long, String, String, String, String, String,
            Integer, Long, Integer, OffsetDateTime, OffsetDateTime>> uploads() {
        return dsl.select(Upload.ID, Upload.SHA256, Upload.BYTES, Upload.FORMAT, Upload.DETECTED_FORMAT, Upload.MAPPING,
                        Upload.LEDGER_ACCOUNT, Upload.STATUS, Upload.CHUNKS, Upload.RECORDS, Upload.STATEMENTS,
                        Upload.CREATED_AT, Upload.COMPLETED_AT)
                .from(Upload.T);
    }
}
