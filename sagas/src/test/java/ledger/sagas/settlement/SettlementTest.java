package ledger.sagas.settlement;

import static ledger.sagas.settlement.SettlementExamples.ID;
import static ledger.sagas.settlement.SettlementExamples.TENANT;
import static ledger.sagas.settlement.SettlementExamples.buyingYen;

import java.util.List;
import ledger.sagas.settlement.SettlementCommands.CompensateSettlement;
import ledger.sagas.settlement.SettlementCommands.CompleteSettlement;
import ledger.sagas.settlement.SettlementCommands.FailSettlement;
import ledger.sagas.settlement.SettlementCommands.RecordRefusal;
import ledger.sagas.settlement.SettlementCommands.RecordStep;
import ledger.sagas.settlement.SettlementCommands.StartSettlement;
import ledger.sagas.settlement.SettlementEvents.SettlementCompensated;
import ledger.sagas.settlement.SettlementEvents.SettlementCompleted;
import ledger.sagas.settlement.SettlementEvents.SettlementFailed;
import ledger.sagas.settlement.SettlementEvents.SettlementStepDone;
import ledger.sagas.settlement.SettlementEvents.SettlementStepRefused;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The settlement's record: one event per step, each command idempotent, nothing after a final outcome. */
class SettlementTest {
    private static final String RESERVE = SettlementSaga.reservationId(ID);
    private static final String DESTINATION = SettlementSaga.destinationId(ID);

    private AggregateTestFixture<Settlement> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Settlement.class);
    }

    @Test
    void startsWithEverythingItWasDecidedOn() {
        fixture.givenNoPriorActivity()
                .when(new StartSettlement(buyingYen()))
                .expectEvents(buyingYen());
    }

    @Test
    void recordsAStepOnce() {
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE))
                .when(new RecordStep(TENANT, ID, Step.RESERVED, RESERVE))
                .expectNoEvents()
                .expectResultMessagePayload(SettlementStatus.PENDING);
    }

    @Test
    void recordsARefusedStepOnceAndNotAfterTheFinalOutcome() {
        RecordRefusal refusal = new RecordRefusal(TENANT, ID, Step.DESTINATION_POSTED, "account_frozen", "frozen");
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE))
                .when(refusal)
                .expectEvents(new SettlementStepRefused(TENANT, ID, Step.DESTINATION_POSTED.name(), "account_frozen",
                        "frozen"));
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE),
                        refusal)
                .when(refusal)
                .expectNoEvents();
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE),
                        new CompensateSettlement(TENANT, ID, "settlement_timed_out", "late", List.of(RESERVE)))
                .when(refusal)
                .expectNoEvents()
                .expectResultMessagePayload(SettlementStatus.COMPENSATED);
    }

    @Test
    void isReQuotedOnceAndNotOnceTheDestinationSideIsPosted() {
        SettlementEvents.SettlementRequoted cheaper = SettlementExamples.requotedAt("155.00");
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE))
                .when(new SettlementCommands.RequoteSettlement(cheaper))
                .expectEvents(cheaper);
        fixture.givenCommands(new StartSettlement(buyingYen()), new SettlementCommands.RequoteSettlement(cheaper))
                .when(new SettlementCommands.RequoteSettlement(SettlementExamples.requotedAt("156.00")))
                .expectNoEvents();
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE),
                        new RecordStep(TENANT, ID, Step.DESTINATION_POSTED, DESTINATION))
                .when(new SettlementCommands.RequoteSettlement(cheaper))
                .expectNoEvents();
    }

    @Test
    void completesWithTheReservationPosted() {
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE),
                        new RecordStep(TENANT, ID, Step.DESTINATION_POSTED, DESTINATION))
                .when(new CompleteSettlement(TENANT, ID, RESERVE))
                .expectEvents(new SettlementStepDone(TENANT, ID, Step.RESERVATION_POSTED.name(), RESERVE),
                        new SettlementCompleted(TENANT, ID))
                .expectResultMessagePayload(SettlementStatus.COMPLETED);
    }

    @Test
    void aCompensatedSettlementNeitherCompletesNorRecordsSteps() {
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE),
                        new CompensateSettlement(TENANT, ID, "account_frozen", "frozen", List.of(RESERVE)))
                .when(new RecordStep(TENANT, ID, Step.DESTINATION_POSTED, DESTINATION))
                .expectNoEvents()
                .expectResultMessagePayload(SettlementStatus.COMPENSATED);
    }

    @Test
    void isCompensatedOnceWithItsReason() {
        fixture.givenCommands(new StartSettlement(buyingYen()), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE))
                .when(new CompensateSettlement(TENANT, ID, "settlement_timed_out", "late", List.of(RESERVE)))
                .expectEvents(new SettlementCompensated(TENANT, ID, "settlement_timed_out", "late", List.of(RESERVE)));
    }

    @Test
    void failsWhenNothingWasPosted() {
        fixture.givenCommands(new StartSettlement(buyingYen()))
                .when(new FailSettlement(TENANT, ID, "insufficient_funds", "short"))
                .expectEvents(new SettlementFailed(TENANT, ID, "insufficient_funds", "short"))
                .expectResultMessagePayload(SettlementStatus.FAILED);
    }

    @Test
    void aFailedSettlementIsNotCompensatedAfterwards() {
        fixture.givenCommands(new StartSettlement(buyingYen()), new FailSettlement(TENANT, ID, "insufficient_funds", "x"))
                .when(new CompensateSettlement(TENANT, ID, "settlement_timed_out", "late", List.of()))
                .expectNoEvents()
                .expectResultMessagePayload(SettlementStatus.FAILED);
    }
}
