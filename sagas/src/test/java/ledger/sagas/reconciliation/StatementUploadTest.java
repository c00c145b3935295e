package ledger.sagas.reconciliation;

import java.util.List;
import ledger.sagas.reconciliation.ReconciliationCommands.CompleteStatementUpload;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordStatementRecords;
import ledger.sagas.reconciliation.ReconciliationCommands.StartStatementUpload;
import ledger.sagas.reconciliation.ReconciliationCommands.UploadProgress;
import ledger.sagas.reconciliation.ReconciliationEvents.ExternalRecord;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementRecordsIngested;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadCompleted;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadStarted;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An upload records each chunk once, in any order, so a file sent again after an interruption finishes it. */
class StatementUploadTest {
    private static final String T = "acme";
    private static final String ID = "up-0123";
    private static final StatementUploadStarted STARTED = new StatementUploadStarted(T, ID, "a".repeat(64), 10,
            "csv", "csv", "stripe", null);
    private static final List<ExternalRecord> ONE = List.of(new ExternalRecord("PROCESSOR", "txn_1", null, "ch_1",
            "po_1", "9.41", "EUR", "2026-03-01", "stripe", null, "Order 1"));

    private AggregateTestFixture<StatementUpload> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(StatementUpload.class);
    }

    @Test
    void recordsAChunkOnceAndPassesOverItWhenSentAgain() {
        fixture.givenCommands(new StartStatementUpload(STARTED), new RecordStatementRecords(T, ID, 0, ONE))
                .when(new RecordStatementRecords(T, ID, 0, ONE))
                .expectNoEvents()
                .expectResultMessagePayload(new UploadProgress(ID, false, 1, 1, 0));
    }

    @Test
    void completesWithWhatItRecorded() {
        fixture.givenCommands(new StartStatementUpload(STARTED), new RecordStatementRecords(T, ID, 0, ONE))
                .when(new CompleteStatementUpload(T, ID, 1, 0))
                .expectEvents(new StatementUploadCompleted(T, ID, 1, 1, 0));
    }

    @Test
    void aCompletedUploadRecordsNothingMore() {
        fixture.givenCommands(new StartStatementUpload(STARTED), new RecordStatementRecords(T, ID, 0, ONE),
                        new CompleteStatementUpload(T, ID, 1, 0))
                .when(new RecordStatementRecords(T, ID, 1, ONE))
                .expectNoEvents();
    }

    @Test
    void recordsTheNextChunk() {
        fixture.givenCommands(new StartStatementUpload(STARTED), new RecordStatementRecords(T, ID, 0, ONE))
                .when(new RecordStatementRecords(T, ID, 1, ONE))
                .expectEvents(new StatementRecordsIngested(T, ID, 1, ONE));
    }

    @Test
    void recordsChunksOutOfOrderAndCompletesOnlyWhenNoneIsMissing() {
        fixture.givenCommands(new StartStatementUpload(STARTED), new RecordStatementRecords(T, ID, 1, ONE))
                .when(new RecordStatementRecords(T, ID, 0, ONE))
                .expectEvents(new StatementRecordsIngested(T, ID, 0, ONE))
                .expectResultMessagePayload(new UploadProgress(ID, false, 2, 2, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixture
                        .givenCommands(new StartStatementUpload(STARTED), new RecordStatementRecords(T, ID, 1, ONE))
                        .when(new CompleteStatementUpload(T, ID, 2, 0)))
                .isInstanceOf(ledger.domain.model.Invariants.InvariantViolation.class)
                .hasMessageContaining("1 of 2");
    }
}
