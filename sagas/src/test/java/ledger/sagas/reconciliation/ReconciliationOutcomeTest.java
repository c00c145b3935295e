package ledger.sagas.reconciliation;

import java.util.List;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordOutcome;
import ledger.sagas.reconciliation.ReconciliationCommands.ResolveBreak;
import ledger.sagas.reconciliation.ReconciliationEvents.Normalisation;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationBreakResolved;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomeRecorded;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A match or break records each different decision once; a break is resolved once. */
class ReconciliationOutcomeTest {
    private static final ReconciliationOutcomeRecorded L1_MATCH = new ReconciliationOutcomeRecorded("acme",
            "m-01", "match:BANK:x", "MATCHED", "ONE_TO_ONE", null, "L1", null, List.of("BANK:x", "LEDGER:t@bank"),
            List.of(new Normalisation("BANK:x", "reference", "REF:inv-1", "INV-1", "prefix \"REF:\", upper case")));
    private static final ReconciliationOutcomeRecorded L2_BREAK = new ReconciliationOutcomeRecorded("acme",
            "b-01", "break:BANK:y", "BREAK", null, "AMOUNT_MISMATCH", "L2", "BANK 99.00, LEDGER 100.00",
            List.of("BANK:y", "LEDGER:u@bank"), List.of());
    private static final ReconciliationBreakResolved ACCEPTED = new ReconciliationBreakResolved("acme", "b-01",
            "accept", "fine", null, "key-1");

    private AggregateTestFixture<ReconciliationOutcome> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ReconciliationOutcome.class);
    }

    @Test
    void recordsTheFirstDecisionWithItsNormalisations() {
        fixture.givenNoPriorActivity()
                .when(new RecordOutcome(L1_MATCH))
                .expectEvents(L1_MATCH);
    }

    @Test
    void theSameDecisionAgainRecordsNothing() {
        fixture.givenCommands(new RecordOutcome(L1_MATCH))
                .when(new RecordOutcome(L1_MATCH))
                .expectNoEvents();
    }

    @Test
    void aBreakIsResolvedOnce() {
        fixture.givenCommands(new RecordOutcome(L2_BREAK), new ResolveBreak(ACCEPTED))
                .when(new ResolveBreak(new ReconciliationBreakResolved("acme", "b-01", "write_off", "again", "t", "k")))
                .expectNoEvents()
                .expectResultMessagePayload(ACCEPTED);
    }

    @Test
    void aBreakRecordedInABatchIsResolvedOnceOnItsOwnAggregate() {
        fixture.givenNoPriorActivity()
                .when(new ResolveBreak(ACCEPTED))
                .expectEvents(ACCEPTED)
                .expectResultMessagePayload(ACCEPTED);
        fixture.givenCommands(new ResolveBreak(ACCEPTED))
                .when(new ResolveBreak(new ReconciliationBreakResolved("acme", "b-01", "write_off", "again", "t", "k")))
                .expectNoEvents()
                .expectResultMessagePayload(ACCEPTED);
    }

    @Test
    void aMatchRecordedAloneIsNotResolved() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixture.givenCommands(new RecordOutcome(L1_MATCH))
                        .when(new ResolveBreak(new ReconciliationBreakResolved("acme", "m-01", "accept", null, null, "k"))))
                .isInstanceOf(ledger.domain.model.Invariants.InvariantViolation.class);
    }

    @Test
    void aBatchOfOutcomesIsOneEventRecordedOnce() {
        AggregateTestFixture<ReconciliationOutcomeBatch> batches = new AggregateTestFixture<>(ReconciliationOutcomeBatch.class);
        ReconciliationCommands.RecordOutcomes both = new ReconciliationCommands.RecordOutcomes("acme", "batch-1",
                List.of(L1_MATCH, L2_BREAK));
        batches.givenNoPriorActivity()
                .when(both)
                .expectEvents(new ReconciliationEvents.ReconciliationOutcomesRecorded("acme", "batch-1",
                        List.of(L1_MATCH, L2_BREAK)));
        batches.givenCommands(both)
                .when(both)
                .expectNoEvents();
    }
}
