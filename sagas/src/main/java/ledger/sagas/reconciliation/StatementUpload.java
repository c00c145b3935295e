package ledger.sagas.reconciliation;

import ledger.domain.model.Invariants;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.SealedAggregate;
import ledger.sagas.reconciliation.ReconciliationCommands.CompleteStatementUpload;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordBankStatement;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordStatementRecords;
import ledger.sagas.reconciliation.ReconciliationCommands.StartStatementUpload;
import ledger.sagas.reconciliation.ReconciliationCommands.UploadProgress;
import ledger.sagas.reconciliation.ReconciliationEvents.BankStatementRead;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementRecordsIngested;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadCompleted;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadStarted;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;

/**
 * One uploaded file's ingestion: started, its records chunk by chunk in file order, its bank
 * statements, completed. Every command is idempotent so that an upload interrupted half way (the
 * service stopped) is finished by sending the same file again: chunks and statements recorded
 * before are passed over, a completed upload records nothing more.
 */
@AggregateRoot(type = StatementUpload.TYPE)
public class StatementUpload extends SealedAggregate {
    public static final String TYPE = "StatementUpload";

    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String uploadId;
    private int chunks;
    private long records;
    private int statements;
    private boolean completed;

    protected StatementUpload() {
        // for Axon
    }

    @CommandHandler
    public StatementUpload(StartStatementUpload command) {
        StatementUploadStarted started = command.started();
        Invariants.check(started.sha256().matches("[0-9a-f]{64}"), "an upload is named by its SHA-256");
        applySealed(started.tenant(), command.aggregateId(), started);
    }

    @Override
    protected String aggregateType() {
        return TYPE;
    }

    @CommandHandler
    public UploadProgress handle(RecordStatementRecords command) {
        if (!completed && command.chunk() == chunks) {
            Invariants.check(!command.records().isEmpty()
                    && command.records().size() <= ReconciliationCommands.CHUNK_RECORDS_MAX, "a chunk holds 1 to "
                    + ReconciliationCommands.CHUNK_RECORDS_MAX + " records");
            applySealed(tenant, aggregateId, new StatementRecordsIngested(tenant, uploadId, command.chunk(),
                    command.records()));
        } else {
            Invariants.check(command.chunk() < chunks || completed, "chunks are recorded in order");
        }
        return progress();
    }

    @CommandHandler
    public UploadProgress handle(RecordBankStatement command) {
        BankStatementRead statement = command.statement();
        if (!completed && statement.seq() == statements) {
            applySealed(tenant, aggregateId, statement);
        } else {
            Invariants.check(statement.seq() < statements || completed, "statements are recorded in order");
        }
        return progress();
    }

    @CommandHandler
    public UploadProgress handle(CompleteStatementUpload command) {
        if (!completed) {
            applySealed(tenant, aggregateId, new StatementUploadCompleted(tenant, uploadId, chunks, records, statements));
        }
        return progress();
    }

    private UploadProgress progress() {
        return new UploadProgress(uploadId, completed, chunks, records, statements);
    }

    // ---- state changes: only here ----

    @EventSourcingHandler
    void on(StatementUploadStarted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = ReconciliationCommands.aggregateId(event.tenant(), event.uploadId());
        tenant = event.tenant();
        uploadId = event.uploadId();
        chained(hash);
    }

    @EventSourcingHandler
    void on(StatementRecordsIngested event, @MetaDataValue(AuditKeys.HASH) String hash) {
        chunks++;
        records += event.records().size();
        chained(hash);
    }

    @EventSourcingHandler
    void on(BankStatementRead event, @MetaDataValue(AuditKeys.HASH) String hash) {
        statements++;
        chained(hash);
    }

    @EventSourcingHandler
    void on(StatementUploadCompleted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        completed = true;
        chained(hash);
    }
}
