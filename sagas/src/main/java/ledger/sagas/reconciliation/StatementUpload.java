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
 * One uploaded file's ingestion: started, its records chunk by chunk, its bank statements,
 * completed. Chunks and statements are numbered in file order but may be recorded in any order
 * (the upload sends several at once, and they share group commits); completion says how many
 * there are and is refused while one is missing. Every command is idempotent so that an upload
 * interrupted half way (the service stopped) is finished by sending the same file again: chunks
 * and statements recorded before are passed over, a completed upload records nothing more.
 */
@AggregateRoot(type = StatementUpload.TYPE)
public class StatementUpload extends SealedAggregate {
    public static final String TYPE = "StatementUpload";

    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String uploadId;
    private final java.util.BitSet chunksRecorded = new java.util.BitSet();
    private final java.util.BitSet statementsRecorded = new java.util.BitSet();
    private long records;
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
        Invariants.check(command.chunk() >= 0, "chunks are numbered from 0");
        if (!completed && !chunksRecorded.get(command.chunk())) {
            Invariants.check(!command.records().isEmpty()
                    && command.records().size() <= ReconciliationCommands.CHUNK_RECORDS_MAX, "a chunk holds 1 to "
                    + ReconciliationCommands.CHUNK_RECORDS_MAX + " records");
            applySealed(tenant, aggregateId, new StatementRecordsIngested(tenant, uploadId, command.chunk(),
                    command.records()));
        }
        return progress();
    }

    @CommandHandler
    public UploadProgress handle(RecordBankStatement command) {
        BankStatementRead statement = command.statement();
        Invariants.check(statement.seq() >= 0, "statements are numbered from 0");
        if (!completed && !statementsRecorded.get(statement.seq())) {
            applySealed(tenant, aggregateId, statement);
        }
        return progress();
    }

    /** Completes the upload once every chunk and statement up to the counts the file gave is recorded. */
    @CommandHandler
    public UploadProgress handle(CompleteStatementUpload command) {
        if (!completed) {
            Invariants.check(chunksRecorded.cardinality() == command.chunks()
                    && chunksRecorded.nextClearBit(0) == command.chunks(), "every chunk of the file is recorded ("
                    + chunksRecorded.cardinality() + " of " + command.chunks() + ")");
            Invariants.check(statementsRecorded.cardinality() == command.statements()
                    && statementsRecorded.nextClearBit(0) == command.statements(), "every statement of the file is recorded ("
                    + statementsRecorded.cardinality() + " of " + command.statements() + ")");
            applySealed(tenant, aggregateId, new StatementUploadCompleted(tenant, uploadId, chunksRecorded.cardinality(),
                    records, statementsRecorded.cardinality()));
        }
        return progress();
    }

    private UploadProgress progress() {
        return new UploadProgress(uploadId, completed, chunksRecorded.cardinality(), records,
                statementsRecorded.cardinality());
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
        chunksRecorded.set(event.chunk());
        records += event.records().size();
        chained(hash);
    }

    @EventSourcingHandler
    void on(BankStatementRead event, @MetaDataValue(AuditKeys.HASH) String hash) {
        statementsRecorded.set(event.seq());
        chained(hash);
    }

    @EventSourcingHandler
    void on(StatementUploadCompleted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        completed = true;
        chained(hash);
    }
}
