package ledger.sagas.reconciliation;

import java.util.List;
import ledger.domain.event.EventType;
import org.axonframework.serialization.Revision;

/**
 * Events of a statement upload (docs/reconciliation.md, "Service"): what was uploaded, every
 * record it contained, each bank statement's balances, and its completion. Recording the records
 * as events puts them in the tenant's hash chain; the records are kept in chunks (at most
 * {@link ReconciliationCommands#CHUNK_RECORDS_MAX} per event) so a large file is a bounded number of
 * events. Amounts are signed decimal strings with the currency's minor units (money in is
 * positive), dates ISO {@code yyyy-MM-dd}.
 */
public final class ReconciliationEvents {
    private ReconciliationEvents() {
    }

    /**
     * A file was accepted for ingestion: its SHA-256 ({@code sha256}, which also names the upload),
     * size, format ({@code camt053}, {@code camt054}, {@code mt940}, {@code csv}), the CSV column
     * mapping if any, and the ledger account the caller mapped it to (null if none).
     */
    @EventType("ledger.StatementUploadStarted")
    @Revision("1")
    public record StatementUploadStarted(String tenant, String uploadId, String sha256, long bytes, String format,
                                         String detectedFormat, String mapping, String ledgerAccount) {
    }

    /**
     * One external record as the file said it. {@code side} is BANK or PROCESSOR; {@code itemId}
     * is unique within the tenant ({@code uploadId/statementId/index} for a bank entry, the
     * processor's own id for a processor record); {@code reference} the end-to-end id or source id,
     * {@code groupKey} a processor record's payout id; {@code account} our account at the bank or
     * processor as the file names it; {@code counterparty} the other party's account.
     */
    public record ExternalRecord(String side, String itemId, String statementId, String reference, String groupKey,
                                 String amount, String currency, String valueDate, String account,
                                 String counterparty, String description) {
    }

    /** The records {@code chunk} (0, 1, ...) of an upload, in file order. */
    @EventType("ledger.StatementRecordsIngested")
    @Revision("1")
    public record StatementRecordsIngested(String tenant, String uploadId, int chunk, List<ExternalRecord> records) {
    }

    /**
     * One bank statement of the file ({@code seq} its place in the file, from 0) with its opening
     * and closing balances (signed, null when the file gives none) and number of entries.
     */
    @EventType("ledger.BankStatementRead")
    @Revision("1")
    public record BankStatementRead(String tenant, String uploadId, int seq, String statementId, String account,
                                    String currency, String openingBalance, String openingDate,
                                    String closingBalance, String closingDate, long entries) {
    }

    /** Every record of the upload is recorded: {@code records} in {@code chunks} events, {@code statements} statements. */
    @EventType("ledger.StatementUploadCompleted")
    @Revision("1")
    public record StatementUploadCompleted(String tenant, String uploadId, int chunks, long records, int statements) {
    }

    /** An L1 repair: the value as the item carried it and the value it was matched with, and the rules applied. */
    public record Normalisation(String item, String field, String original, String normalised, String rule) {
    }

    /**
     * What the matcher decided for a group of items, each time it changes: {@code status} MATCHED
     * (with {@code kind}), BREAK (with {@code reason}, {@code level} L2 or L3 and a {@code detail}; an
     * ambiguous break lists every candidate in {@code items}) or DISSOLVED (its items now belong
     * elsewhere). {@code items} are {@code SIDE:id}. {@code fixes} are the L1 normalisations that let
     * the items match, each with the original and the fixed value.
     */
    @EventType("ledger.ReconciliationOutcomeRecorded")
    @Revision("1")
    public record ReconciliationOutcomeRecorded(String tenant, String outcomeId, String matcherId, String status,
                                                String kind, String reason, String level, String detail,
                                                List<String> items, List<Normalisation> fixes) {
    }

    /**
     * Many matches and breaks decided together (one matcher batch or one clock tick), each as a
     * {@link ReconciliationOutcomeRecorded} would say it alone: one event and one command instead of
     * one per outcome (at most {@link ReconciliationCommands#OUTCOMES_PER_EVENT} in one event). Every
     * outcome keeps its own id; views, alerts and resolutions treat it exactly like a single one.
     */
    @EventType("ledger.ReconciliationOutcomesRecorded")
    @Revision("1")
    public record ReconciliationOutcomesRecorded(String tenant, String batchId,
                                                 List<ReconciliationOutcomeRecorded> outcomes) {
    }

    /**
     * A break resolved by a person: {@code action} accept, adjust or write_off, their {@code note},
     * the correcting or write-off transfer it posted (null for accept) and the API key's role that did it.
     */
    @EventType("ledger.ReconciliationBreakResolved")
    @Revision("1")
    public record ReconciliationBreakResolved(String tenant, String outcomeId, String action, String note,
                                              String transferId, String resolvedBy) {
    }

    /** The account circuit breaker tripped: an L3 break froze {@code account} (resolving the break releases it). */
    @EventType("ledger.ReconciliationAccountFrozen")
    @Revision("1")
    public record ReconciliationAccountFrozen(String tenant, String outcomeId, String account) {
    }
}
