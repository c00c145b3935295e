package ledger.sagas.reconciliation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
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
