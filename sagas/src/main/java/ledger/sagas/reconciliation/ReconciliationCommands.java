package ledger.sagas.reconciliation;

import java.util.List;
import ledger.domain.model.TenantId;
import ledger.sagas.reconciliation.ReconciliationEvents.BankStatementRead;
import ledger.sagas.reconciliation.ReconciliationEvents.ExternalRecord;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadStarted;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands of the {@link StatementUpload} aggregate, sent by the upload endpoint as it reads a file. */
public final class ReconciliationCommands {
    /** Records per {@code StatementRecordsIngested} event: bounds an event's size whatever the file's. */
    public static final int CHUNK_RECORDS_MAX = 500;
    /** Outcomes per {@code ReconciliationOutcomesRecorded} event: bounds an event's size however many break at once. */
    public static final int OUTCOMES_PER_EVENT = 500;

    private ReconciliationCommands() {
    }

    /** Marks the commands of reconciliation: their result is their own view (the upload's progress). */
    public sealed interface UploadCommand permits StartStatementUpload, RecordStatementRecords, RecordBankStatement,
            CompleteStatementUpload, ResolveBreak {
    }

    /** What an upload command leaves: the upload's id, whether it is complete, the chunks recorded so far. */
    public record UploadProgress(String uploadId, boolean completed, int chunks, long records, int statements) {
    }

    /** {@code tenant/recon-outcome/id}: one aggregate per match or break. */
    public static String outcomeAggregateId(String tenant, String outcomeId) {
        return TenantId.of(tenant).value() + "/recon-outcome/" + outcomeId;
    }

    /** Records what the matcher decided for an outcome; the same decision again records nothing. */
    public record RecordOutcome(ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomeRecorded outcome) {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return outcomeAggregateId(outcome.tenant(), outcome.outcomeId());
        }
    }

    /** {@code tenant/recon-outcomes/batchId}: one aggregate per batch of outcomes recorded together. */
    public static String outcomeBatchAggregateId(String tenant, String batchId) {
        return TenantId.of(tenant).value() + "/recon-outcomes/" + batchId;
    }

    /** Records many outcomes decided together, as one event; a batch recorded before records nothing. */
    public record RecordOutcomes(String tenant, String batchId,
                                 List<ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomeRecorded> outcomes) {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return outcomeBatchAggregateId(tenant, batchId);
        }
    }

    /** Resolves a break once; a break resolved before is answered with its first resolution. */
    public record ResolveBreak(ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationBreakResolved resolved)
            implements UploadCommand {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return outcomeAggregateId(resolved.tenant(), resolved.outcomeId());
        }
    }

    /** Records that an L3 break froze an account. */
    public record RecordAccountFrozen(ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationAccountFrozen frozen) {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return outcomeAggregateId(frozen.tenant(), frozen.outcomeId());
        }
    }

    /** {@code tenant/statement-upload/id}, like the other aggregates' ids. */
    public static String aggregateId(String tenant, String uploadId) {
        return TenantId.of(tenant).value() + "/statement-upload/" + uploadId;
    }

    public record StartStatementUpload(StatementUploadStarted started) implements UploadCommand {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return ReconciliationCommands.aggregateId(started.tenant(), started.uploadId());
        }
    }

    /**
     * Records chunk {@code chunk}; a chunk recorded before is passed over (an interrupted upload sent
     * again). Chunks and statements share group commits with other commands: several of one upload go
     * in one transaction.
     */
    public record RecordStatementRecords(String tenant, String uploadId, int chunk, List<ExternalRecord> records)
            implements UploadCommand, ledger.domain.command.TransferCommands.SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return ReconciliationCommands.aggregateId(tenant, uploadId);
        }
    }

    /** Records a statement's balances; one recorded before (same {@code seq}) is passed over. */
    public record RecordBankStatement(BankStatementRead statement)
            implements UploadCommand, ledger.domain.command.TransferCommands.SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return ReconciliationCommands.aggregateId(statement.tenant(), statement.uploadId());
        }
    }

    /** Completes an upload of {@code chunks} chunks and {@code statements} statements (refused while one is missing). */
    public record CompleteStatementUpload(String tenant, String uploadId, int chunks, int statements)
            implements UploadCommand {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return ReconciliationCommands.aggregateId(tenant, uploadId);
        }
    }
}
