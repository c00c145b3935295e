package ledger.sagas.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import ledger.sagas.reconciliation.ReconTables.Item;
import ledger.sagas.reconciliation.ReconTables.Statement;
import ledger.sagas.reconciliation.ReconTables.Upload;
import ledger.sagas.reconciliation.ReconciliationEvents.BankStatementRead;
import ledger.sagas.reconciliation.ReconciliationEvents.ExternalRecord;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementRecordsIngested;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadCompleted;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadStarted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep13;
import org.jooq.Record;

/**
 * Writes the uploads, their bank statements and their external records from the
 * {@link StatementUpload}'s events. A subscribing processor: each write is in the transaction that
 * appends its event, so an upload's answer and any read after it agree. Idempotent: rows are
 * inserted once, counters set to the event's values (never incremented).
 */
@ProcessingGroup(StatementProjection.GROUP)
public class StatementProjection {
    public static final String GROUP = "reconciliation-uploads";

    private final DSLContext dsl;

    public StatementProjection(DSLContext dsl) {
        this.dsl = dsl;
    }

    @EventHandler
    void on(StatementUploadStarted s, @Timestamp Instant at) {
        dsl.insertInto(Upload.T)
                .set(Upload.TENANT, s.tenant()).set(Upload.ID, s.uploadId()).set(Upload.SHA256, s.sha256())
                .set(Upload.BYTES, s.bytes()).set(Upload.FORMAT, s.format())
                .set(Upload.DETECTED_FORMAT, s.detectedFormat()).set(Upload.MAPPING, s.mapping())
                .set(Upload.LEDGER_ACCOUNT, s.ledgerAccount()).set(Upload.STATUS, "INGESTING")
                .set(Upload.CREATED_AT, utc(at))
                .onConflictDoNothing()
                .execute();
    }

    /** One multi-row insert per chunk: a chunk costs one statement in the shared transaction. */
    @EventHandler
    void on(StatementRecordsIngested s) {
        InsertValuesStep13<Record, String, String, String, String, String, String, String, BigDecimal, String, String,
                String, String, String> insert = dsl.insertInto(Item.T, Item.TENANT, Item.SIDE, Item.ID, Item.UPLOAD_ID,
                Item.STATEMENT_ID, Item.REFERENCE, Item.GROUP_KEY, Item.AMOUNT, Item.CURRENCY, Item.VALUE_DATE,
                Item.ACCOUNT, Item.COUNTERPARTY, Item.DESCRIPTION);
        for (ExternalRecord r : s.records()) {
            insert = insert.values(s.tenant(), r.side(), r.itemId(), s.uploadId(), r.statementId(), r.reference(),
                    r.groupKey(), new BigDecimal(r.amount()), r.currency(), r.valueDate(), r.account(),
                    r.counterparty(), r.description());
        }
        insert.onConflictDoNothing().execute();
        dsl.update(Upload.T).set(Upload.CHUNKS, s.chunk() + 1)
                .where(Upload.TENANT.eq(s.tenant()).and(Upload.ID.eq(s.uploadId())))
                .and(Upload.CHUNKS.le(s.chunk()))
                .execute();
    }

    @EventHandler
    void on(BankStatementRead s) {
        dsl.insertInto(Statement.T)
                .set(Statement.TENANT, s.tenant()).set(Statement.UPLOAD_ID, s.uploadId()).set(Statement.SEQ, s.seq())
                .set(Statement.STATEMENT_ID, s.statementId()).set(Statement.ACCOUNT, s.account())
                .set(Statement.LEDGER_ACCOUNT, ledgerAccount(s.tenant(), s.uploadId()))
                .set(Statement.CURRENCY, s.currency())
                .set(Statement.OPENING_BALANCE, decimal(s.openingBalance()))
                .set(Statement.OPENING_DATE, date(s.openingDate()))
                .set(Statement.CLOSING_BALANCE, decimal(s.closingBalance()))
                .set(Statement.CLOSING_DATE, date(s.closingDate()))
                .set(Statement.ENTRIES, s.entries())
                .onConflictDoNothing()
                .execute();
    }

    @EventHandler
    void on(StatementUploadCompleted s, @Timestamp Instant at) {
        dsl.update(Upload.T).set(Upload.STATUS, "INGESTED").set(Upload.CHUNKS, s.chunks())
                .set(Upload.RECORDS, s.records()).set(Upload.STATEMENTS, s.statements())
                .set(Upload.COMPLETED_AT, utc(at))
                .where(Upload.TENANT.eq(s.tenant()).and(Upload.ID.eq(s.uploadId())))
                .execute();
    }

    private String ledgerAccount(String tenant, String uploadId) {
        return dsl.select(Upload.LEDGER_ACCOUNT).from(Upload.T)
                .where(Upload.TENANT.eq(tenant).and(Upload.ID.eq(uploadId)))
                .fetchOne(Upload.LEDGER_ACCOUNT);
    }

    private static BigDecimal decimal(String text) {
        return text == null ? null : new BigDecimal(text);
    }

    private static LocalDate date(String text) {
        return text == null ? null : LocalDate.parse(text);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
