package ledger.sagas.settlement;

import static ledger.sagas.settlement.SettlementExamples.AGGREGATE;
import static ledger.sagas.settlement.SettlementExamples.ID;
import static ledger.sagas.settlement.SettlementExamples.JPY;
import static ledger.sagas.settlement.SettlementExamples.T0;
import static ledger.sagas.settlement.SettlementExamples.TENANT;
import static ledger.sagas.settlement.SettlementExamples.TIMEOUT;
import static ledger.sagas.settlement.SettlementExamples.USD;
import static ledger.sagas.settlement.SettlementExamples.buyingYen;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.Together;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.LedgerJson;
import ledger.sagas.settlement.SettlementCommands.CompensateSettlement;
import ledger.sagas.settlement.SettlementCommands.CompleteSettlement;
import ledger.sagas.settlement.SettlementCommands.FailSettlement;
import ledger.sagas.settlement.SettlementCommands.RecordStep;
import ledger.sagas.settlement.SettlementEvents.SettlementCompensated;
import ledger.sagas.settlement.SettlementEvents.SettlementCompleted;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;
import ledger.sagas.settlement.SettlementEvents.SettlementStepDone;
import ledger.sagas.settlement.SettlementEvents.SettlementStepRefused;
import ledger.sagas.settlement.SettlementCommands.RecordRefusal;
import ledger.sagas.settlement.SettlementCommands.RequoteSettlement;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The settlement saga step by step (docs/settlement.md): each of the aggregate's events makes it
 * send the next ledger command and record the step; a refusal or the deadline makes it compensate.
 * The fixture's command bus answers as the ledger would: done, or a {@link LedgerRejection}.
 */
class SettlementSagaTest {
    private static final TenantId T = TenantId.of(TENANT);
    private static final Map<String, String> META = Map.of("settlement", ID);

    private SagaTestFixture<SettlementSaga> fixture;
    private SettlementRuntime runtime;
    /** What the fixture's ledger refuses: the first matching rule's code. */
    private final List<Map.Entry<Predicate<Object>, RejectionCode>> refusals = new ArrayList<>();
    /** The ledger's transfer statuses, as the runtime looks them up. */
    private final Map<String, String> statuses = new HashMap<>();
    /** The saga's "now" when it differs from the fixture's (a deadline message not yet delivered); null: the fixture's. */
    private java.time.Instant runtimeNow;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(SettlementSaga.class);
        SagaTestFixture<SettlementSaga> clock = fixture;
        runtime = SettlementRuntime.direct((tenant, id) -> Optional.ofNullable(statuses.get(id)),
                () -> runtimeNow != null ? runtimeNow : clock.currentTime());
        fixture.registerResource(runtime);
        fixture.setCallbackBehavior((command, metaData) -> {
            Object tested = command instanceof Together pair ? pair.first() : command; // a pair is refused for its ledger command
            for (Map.Entry<Predicate<Object>, RejectionCode> rule : refusals) {
                if (rule.getKey().test(tested)) {
                    throw new LedgerRejection(rule.getValue(), "refused by the test ledger");
                }
            }
            return null;
        });
        fixture.givenCurrentTime(T0);
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private void refuse(Class<?> type, RejectionCode code) {
        refusals.add(Map.entry(type::isInstance, code));
    }

    private static SettlementStepDone step(Step step, String transferId) {
        return new SettlementStepDone(TENANT, ID, step.name(), transferId);
    }

    private static final String RESERVE = SettlementSaga.reservationId(ID);
    private static final String DESTINATION = SettlementSaga.destinationId(ID);
    private static final String REVERSAL = SettlementSaga.reversalId(ID);

    private static List<EntryLeg> destinationLegs(boolean reversed) {
        List<EntryLeg> legs = List.of(
                new EntryLeg(AccountId.of("fx.position.JPY"), Side.DEBIT, "10008"),
                new EntryLeg(AccountId.of("bob"), Side.CREDIT, "10000"),
                new EntryLeg(AccountId.of("fx.revenue.JPY"), Side.CREDIT, "6"),
                new EntryLeg(AccountId.of("fx.rounding.JPY"), Side.CREDIT, "2"));
        return reversed ? legs.stream().map(l -> new EntryLeg(l.accountId(), l.side().opposite(), l.amount())).toList()
                : legs;
    }

    // ---------------------------------------------------------------- the happy path

    @Test
    void opensHouseAccountsReservesTheSourceAndSetsTheDeadline() {
        fixture.givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(buyingYen())
                .expectActiveSagas(1)
                .expectAssociationWith(BySettlement.KEY, AGGREGATE)
                .expectScheduledDeadlineWithName(T0.plus(TIMEOUT), SettlementSaga.DEADLINE)
                .expectDispatchedCommands(
                        new OpenAccount(T, AccountId.of("fx.position.USD"), USD, AccountKind.ASSET,
                                OverdraftLimit.unlimitedLimit()),
                        new OpenAccount(T, AccountId.of("fx.position.JPY"), JPY, AccountKind.ASSET,
                                OverdraftLimit.unlimitedLimit()),
                        new OpenAccount(T, AccountId.of("fx.revenue.JPY"), JPY, AccountKind.REVENUE,
                                OverdraftLimit.unlimitedLimit()),
                        new OpenAccount(T, AccountId.of("fx.rounding.JPY"), JPY, AccountKind.REVENUE,
                                OverdraftLimit.unlimitedLimit()),
                        new Together(reservation(6490), new RecordStep(TENANT, ID, Step.RESERVED, RESERVE)));
    }

    private static CreateTransfer reservation(long minor) {
        return reservation(minor, TIMEOUT);
    }

    /** The reservation of {@code minor} cents, sent {@code untilDeadline} before the settlement's deadline. */
    private static CreateTransfer reservation(long minor, java.time.Duration untilDeadline) {
        return new CreateTransfer(T, TransferId.of(RESERVE), AccountId.of("alice"), AccountId.of("fx.position.USD"),
                new Money(minor, USD), true, untilDeadline.plus(SettlementRuntime.RESERVATION_GRACE), META);
    }

    private static Together destinationSide(List<EntryLeg> legs) {
        return new Together(new PostEntry(T, TransferId.of(DESTINATION), legs, META),
                new RecordStep(TENANT, ID, Step.DESTINATION_POSTED, DESTINATION));
    }

    private static Together postAndComplete(PostPendingTransfer post) {
        return new Together(post, new CompleteSettlement(TENANT, ID, RESERVE));
    }

    @Test
    void houseAccountsThatExistAlreadyAreTakenAsTheyAre() {
        refuse(OpenAccount.class, RejectionCode.DUPLICATE_ID);
        fixture.givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(buyingYen())
                .expectActiveSagas(1)
                .expectDispatchedCommandsMatching(lastIs(new Together(reservation(6490),
                        new RecordStep(TENANT, ID, Step.RESERVED, RESERVE))));
    }

    @Test
    void postsTheDestinationSideWithSpreadAndRoundingOnceReserved() {
        fixture.givenAggregate(AGGREGATE).published(buyingYen())
                .whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommands(destinationSide(destinationLegs(false)));
    }

    @Test
    void postsTheReservationAndCompletesOnceTheDestinationIsPaid() {
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE))
                .whenAggregate(AGGREGATE).publishes(step(Step.DESTINATION_POSTED, DESTINATION))
                .expectDispatchedCommands(postAndComplete(postOfTheReservation()));
    }

    @Test
    void endsWithoutDeadlinesOnceCompleted() {
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE),
                        step(Step.DESTINATION_POSTED, DESTINATION), step(Step.RESERVATION_POSTED, RESERVE))
                .whenAggregate(AGGREGATE).publishes(new SettlementCompleted(TENANT, ID))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands();
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void failsWithoutPostingWhenTheSourceLacksFunds() {
        refuse(CreateTransfer.class, RejectionCode.INSUFFICIENT_FUNDS);
        fixture.givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(buyingYen())
                .expectDispatchedCommandsMatching(lastIs(new FailSettlement(TENANT, ID, "insufficient_funds",
                        "refused by the test ledger")));
    }

    @Test
    void failsWhenTheQuoteExpiredBeforeTheReservation() {
        fixture.givenCurrentTime(T0.plus(SettlementExamples.QUOTE_TTL));
        fixture.givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(buyingYen())
                .expectDispatchedCommands(new FailSettlement(TENANT, ID, SettlementSaga.REASON_QUOTE_EXPIRED,
                        "quote q-1 expired at 2026-12-06T10:00:30.000000Z before the source amount was reserved"));
    }

    @Test
    void voidsTheReservationWhenTheDestinationIsFrozen() {
        compensatesTheReservationWhenTheDestinationSideIsRefused(RejectionCode.ACCOUNT_FROZEN);
    }

    @Test
    void voidsTheReservationWhenTheDestinationIsClosed() {
        compensatesTheReservationWhenTheDestinationSideIsRefused(RejectionCode.ACCOUNT_CLOSED);
    }

    @Test
    void voidsTheReservationWhenTheDestinationDoesNotExist() {
        compensatesTheReservationWhenTheDestinationSideIsRefused(RejectionCode.ACCOUNT_NOT_FOUND);
    }

    private void compensatesTheReservationWhenTheDestinationSideIsRefused(RejectionCode code) {
        refuse(PostEntry.class, code);
        fixture.givenAggregate(AGGREGATE).published(buyingYen())
                .whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommands(destinationSide(destinationLegs(false)),
                        new RecordRefusal(TENANT, ID, Step.DESTINATION_POSTED, code.code(), "refused by the test ledger"));
        fixture.whenAggregate(AGGREGATE).publishes(refused(Step.DESTINATION_POSTED, code))
                .expectDispatchedCommands(
                        new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, code.code(), "refused by the test ledger",
                                List.of(RESERVE)));
    }

    private static SettlementStepRefused refused(Step step, RejectionCode code) {
        return new SettlementStepRefused(TENANT, ID, step.name(), code.code(), "refused by the test ledger");
    }

    private static PostPendingTransfer postOfTheReservation() {
        return new PostPendingTransfer(T, TransferId.of(RESERVE), null,
                List.of(AccountId.of("alice"), AccountId.of("fx.position.USD")));
    }

    @Test
    void voidsTheReservationWhenTheQuoteExpiredBeforeTheDestinationSide() throws Exception {
        fixture.givenAggregate(AGGREGATE).published(buyingYen())
                .andThenTimeElapses(SettlementExamples.QUOTE_TTL)
                .whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommands(
                        new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, SettlementSaga.REASON_QUOTE_EXPIRED,
                                "quote q-1 expired at 2026-12-06T10:00:30.000000Z before the destination side was posted",
                                List.of(RESERVE)));
    }

    @Test
    void reversesTheDestinationSideAndVoidsWhenTheReservationCannotBePosted() {
        refuse(PostPendingTransfer.class, RejectionCode.ACCOUNT_FROZEN);
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE))
                .whenAggregate(AGGREGATE).publishes(step(Step.DESTINATION_POSTED, DESTINATION))
                .expectDispatchedCommands(postAndComplete(postOfTheReservation()),
                        new RecordRefusal(TENANT, ID, Step.RESERVATION_POSTED, "account_frozen",
                                "refused by the test ledger"));
        fixture.whenAggregate(AGGREGATE).publishes(refused(Step.RESERVATION_POSTED, RejectionCode.ACCOUNT_FROZEN))
                .expectDispatchedCommands(
                        new PostEntry(T, TransferId.of(REVERSAL), destinationLegs(true), META),
                        new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, "account_frozen", "refused by the test ledger",
                                List.of(REVERSAL, RESERVE)));
    }

    @Test
    void triesARefusedReversalAgainUntilItIsAccepted() throws Exception {
        refuse(PostPendingTransfer.class, RejectionCode.ACCOUNT_FROZEN);
        refusals.add(Map.entry(c -> c instanceof PostEntry e && e.transferId().value().equals(REVERSAL),
                RejectionCode.ACCOUNT_FROZEN));
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE))
                .whenAggregate(AGGREGATE).publishes(step(Step.DESTINATION_POSTED, DESTINATION))
                .expectDispatchedCommands(postAndComplete(postOfTheReservation()), new RecordRefusal(TENANT, ID,
                        Step.RESERVATION_POSTED, "account_frozen", "refused by the test ledger"));
        fixture.whenAggregate(AGGREGATE).publishes(refused(Step.RESERVATION_POSTED, RejectionCode.ACCOUNT_FROZEN))
                .expectScheduledDeadlineWithName(SettlementSaga.COMPENSATION_RETRY,
                        SettlementSaga.COMPENSATION_RETRY_DEADLINE)
                .expectDispatchedCommands(new PostEntry(T, TransferId.of(REVERSAL), destinationLegs(true), META));
        refusals.clear(); // the destination is unfrozen: the next attempt is accepted
        fixture.whenTimeElapses(SettlementSaga.COMPENSATION_RETRY)
                .expectDeadlinesMetMatching(count(1))
                .expectDispatchedCommands(
                        new PostEntry(T, TransferId.of(REVERSAL), destinationLegs(true), META),
                        new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, "account_frozen", "refused by the test ledger; "
                                + "compensation refused (account_frozen: refused by the test ledger)",
                                List.of(REVERSAL, RESERVE)));
    }

    // ---------------------------------------------------------------- re-quote (LEDGER_SETTLEMENT_QUOTE_EXPIRY=requote)

    private static List<EntryLeg> legsOf(SettlementEvents.SettlementRequoted r) {
        List<EntryLeg> legs = new ArrayList<>(List.of(
                new EntryLeg(AccountId.of("fx.position.JPY"), Side.DEBIT, r.valueAtMid()),
                new EntryLeg(AccountId.of("bob"), Side.CREDIT, r.destinationAmount())));
        if (!r.spreadRevenuePosted().equals("0")) {
            legs.add(new EntryLeg(AccountId.of("fx.revenue.JPY"), Side.CREDIT, r.spreadRevenuePosted()));
        }
        long rounding = Long.parseLong(r.roundingPosted());
        if (rounding != 0) {
            legs.add(new EntryLeg(AccountId.of("fx.rounding.JPY"), rounding > 0 ? Side.CREDIT : Side.DEBIT,
                    String.valueOf(Math.abs(rounding))));
        }
        return legs;
    }

    @Test
    void reQuotesAQuoteExpiredBeforeTheReservationAndReservesOnTheNewOne() {
        SettlementEvents.SettlementRequoted cheaper = SettlementExamples.requotedAt("155.00");
        assertThat(cheaper.sourceAmount()).isEqualTo("64.52");
        runtime.requoteWith(settlement -> cheaper);
        fixture.givenCurrentTime(T0.plus(SettlementExamples.QUOTE_TTL));
        fixture.givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(buyingYen())
                .expectDispatchedCommands(new RequoteSettlement(cheaper));
        fixture.whenAggregate(AGGREGATE).publishes(cheaper)
                .expectDispatchedCommandsMatching(lastIs(new Together(
                        reservation(6452, TIMEOUT.minus(SettlementExamples.QUOTE_TTL)),
                        new RecordStep(TENANT, ID, Step.RESERVED, RESERVE))));
        fixture.whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommands(destinationSide(legsOf(cheaper)));
        fixture.whenAggregate(AGGREGATE).publishes(step(Step.DESTINATION_POSTED, DESTINATION))
                .expectDispatchedCommands(postAndComplete(postOfTheReservation()));
    }

    @Test
    void reQuotesBeforeTheDestinationSideAndPostsOnlyWhatTheNewQuoteNeeds() throws Exception {
        SettlementEvents.SettlementRequoted cheaper = SettlementExamples.requotedAt("155.00");
        runtime.requoteWith(settlement -> cheaper);
        fixture.givenAggregate(AGGREGATE).published(buyingYen())
                .andThenTimeElapses(SettlementExamples.QUOTE_TTL)
                .whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommands(new RequoteSettlement(cheaper));
        fixture.whenAggregate(AGGREGATE).publishes(cheaper)
                .expectDispatchedCommands(destinationSide(legsOf(cheaper)));
        // 64.90 were reserved, the new quote needs 64.52: the post takes that much, the rest is released
        fixture.whenAggregate(AGGREGATE).publishes(step(Step.DESTINATION_POSTED, DESTINATION))
                .expectDispatchedCommands(postAndComplete(new PostPendingTransfer(T, TransferId.of(RESERVE), "64.52",
                        List.of(AccountId.of("alice"), AccountId.of("fx.position.USD")))));
    }

    @Test
    void aPurchaseWhoseNewQuoteNeedsMoreThanWasReservedIsCompensated() throws Exception {
        SettlementEvents.SettlementRequoted dearer = SettlementExamples.requotedAt("153.00");
        assertThat(dearer.sourceAmount()).isEqualTo("65.36");
        runtime.requoteWith(settlement -> dearer);
        fixture.givenAggregate(AGGREGATE).published(buyingYen())
                .andThenTimeElapses(SettlementExamples.QUOTE_TTL)
                .whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommands(new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, SettlementSaga.REASON_QUOTE_EXPIRED,
                                "quote q-1 expired at 2026-12-06T10:00:30.000000Z before the destination side was posted"
                                        + "; the new quote q-2 needs 65.36 USD, more than the 64.90 reserved",
                                List.of(RESERVE)));
    }

    @Test
    void aSettlementIsReQuotedOnceOnly() throws Exception {
        SettlementEvents.SettlementRequoted cheaper = SettlementExamples.requotedAt("155.00", Duration.ofSeconds(10));
        runtime.requoteWith(settlement -> cheaper);
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), cheaper)
                .andThenTimeElapses(Duration.ofSeconds(45))
                .whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommandsMatching(lastIs(new CompensateSettlement(TENANT, ID,
                        SettlementSaga.REASON_QUOTE_EXPIRED, "quote q-2 expired at 2026-12-06T10:00:40.000000Z before"
                        + " the destination side was posted", List.of(RESERVE))));
    }

    @Test
    void withoutARateToReQuoteTheSettlementFailsAsWithoutReQuote() {
        runtime.requoteWith(settlement -> {
            throw new IllegalStateException("no provider has a rate for USD/JPY");
        });
        fixture.givenCurrentTime(T0.plus(SettlementExamples.QUOTE_TTL));
        fixture.givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(buyingYen())
                .expectDispatchedCommands(new FailSettlement(TENANT, ID, SettlementSaga.REASON_QUOTE_EXPIRED,
                        "quote q-1 expired at 2026-12-06T10:00:30.000000Z before the source amount was reserved"
                                + "; no re-quote (no provider has a rate for USD/JPY)"));
    }

    // ---------------------------------------------------------------- the deadline

    @Test
    void compensatesEverythingPostedWhenTheDeadlinePasses() {
        // the destination side is posted (the ledger has it), its step not yet recorded when the deadline passes
        statuses.put(DESTINATION, "POSTED");
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE))
                .whenTimeElapses(TIMEOUT)
                .expectDeadlinesMetMatching(count(1))
                .expectDispatchedCommands(
                        new PostEntry(T, TransferId.of(REVERSAL), destinationLegs(true), META),
                        new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, SettlementSaga.REASON_TIMED_OUT,
                                "settlement s-1 was not completed by its deadline 2026-12-06T10:01:00.000000Z",
                                List.of(REVERSAL, RESERVE)));
    }

    @Test
    void theDeadlineWaitsForAStepStillInFlight() {
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE));
        // a command of this settlement's is on its way (sent, not yet answered)
        CompletableFuture<Object> unanswered = new CompletableFuture<>();
        runtime.sendThen(TENANT, ID, new UnansweredGateway(unanswered), "a step's command", Map.of(), answer -> {
        });
        fixture.whenTimeElapses(TIMEOUT)
                .expectDeadlinesMetMatching(count(1))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(SettlementSaga.STEP_IN_FLIGHT_RECHECK, SettlementSaga.DEADLINE);
        unanswered.complete("done"); // answered and seen through: the next look compensates
        fixture.whenTimeElapses(SettlementSaga.STEP_IN_FLIGHT_RECHECK)
                .expectDispatchedCommandsMatching(lastIs(new CompensateSettlement(TENANT, ID,
                        SettlementSaga.REASON_TIMED_OUT,
                        "settlement s-1 was not completed by its deadline 2026-12-06T10:01:00.000000Z",
                        List.of(RESERVE))));
    }

    /** A gateway whose every command stays unanswered until the test completes {@code answer}. */
    private record UnansweredGateway(CompletableFuture<Object> answer)
            implements org.axonframework.commandhandling.gateway.CommandGateway {
        @Override
        public <C, R> void send(C command, org.axonframework.commandhandling.CommandCallback<? super C, ? super R> callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R sendAndWait(Object command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> R sendAndWait(Object command, long timeout, java.util.concurrent.TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> CompletableFuture<R> send(Object command) {
            return (CompletableFuture<R>) answer;
        }

        @Override
        public org.axonframework.common.Registration registerDispatchInterceptor(
                org.axonframework.messaging.MessageDispatchInterceptor<? super org.axonframework.commandhandling.CommandMessage<?>> interceptor) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aDeadlineAfterTheReservationOnlyVoidsIt() {
        // reserved, its step not yet delivered back to the saga when the deadline passes
        fixture.givenAggregate(AGGREGATE).published(buyingYen())
                .whenTimeElapses(TIMEOUT)
                .expectDispatchedCommands(
                        new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, SettlementSaga.REASON_TIMED_OUT,
                                "settlement s-1 was not completed by its deadline 2026-12-06T10:01:00.000000Z",
                                List.of(RESERVE)));
    }

    @Test
    void aSettlementFirstSeenAfterItsDeadlineFailsWithoutPosting() {
        fixture.givenCurrentTime(T0.plus(TIMEOUT));
        fixture.givenNoPriorActivity()
                .whenAggregate(AGGREGATE).publishes(buyingYen())
                .expectDispatchedCommands(new FailSettlement(TENANT, ID, SettlementSaga.REASON_TIMED_OUT,
                        "settlement s-1 was not started by its deadline 2026-12-06T10:01:00.000000Z"));
    }

    @Test
    void aStepDueAfterTheDeadlineCompensatesInstead() throws Exception {
        // the deadline message is late (after a restart): the next step event finds the deadline passed
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE));
        runtimeNow = T0.plus(TIMEOUT).plusSeconds(5);
        fixture.whenAggregate(AGGREGATE).publishes(step(Step.DESTINATION_POSTED, DESTINATION))
                .expectDispatchedCommandsMatching(lastIs(new CompensateSettlement(TENANT, ID,
                        SettlementSaga.REASON_TIMED_OUT,
                        "settlement s-1 was not completed by its deadline 2026-12-06T10:01:00.000000Z",
                        List.of(REVERSAL, RESERVE))));
    }

    @Test
    void aCompletedSettlementIgnoresItsDeadline() {
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE),
                        step(Step.DESTINATION_POSTED, DESTINATION), step(Step.RESERVATION_POSTED, RESERVE),
                        new SettlementCompleted(TENANT, ID))
                .whenTimeElapses(TIMEOUT.multipliedBy(2))
                .expectNoDispatchedCommands()
                .expectDeadlinesMetMatching(count(0));
    }

    @Test
    void aCompensatedSettlementEnds() {
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE))
                .whenAggregate(AGGREGATE).publishes(new SettlementCompensated(TENANT, ID, "account_frozen", "x",
                        List.of(RESERVE)))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    // ---------------------------------------------------------------- restarts

    @Test
    void aReservationPostedBeforeARestartCompletesTheSettlement() {
        refuse(PostPendingTransfer.class, RejectionCode.TRANSFER_NOT_PENDING);
        statuses.put(RESERVE, "POSTED");
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE))
                .whenAggregate(AGGREGATE).publishes(step(Step.DESTINATION_POSTED, DESTINATION))
                .expectDispatchedCommands(postAndComplete(postOfTheReservation()),
                        new CompleteSettlement(TENANT, ID, RESERVE));
    }

    @Test
    void aStepSentAgainAfterARestartIsTakenAsDone() {
        refuse(PostEntry.class, RejectionCode.DUPLICATE_ID);
        fixture.givenAggregate(AGGREGATE).published(buyingYen())
                .whenAggregate(AGGREGATE).publishes(step(Step.RESERVED, RESERVE))
                .expectDispatchedCommands(destinationSide(destinationLegs(false)),
                        new RecordStep(TENANT, ID, Step.DESTINATION_POSTED, DESTINATION));
    }

    @Test
    void theDeadlineReversesADestinationSidePostedBeforeARestartButNotRecorded() {
        statuses.put(DESTINATION, "POSTED");
        fixture.givenAggregate(AGGREGATE).published(buyingYen(), step(Step.RESERVED, RESERVE))
                .whenTimeElapses(TIMEOUT)
                .expectDispatchedCommands(
                        new PostEntry(T, TransferId.of(REVERSAL), destinationLegs(true), META),
                        new VoidPendingTransfer(T, TransferId.of(RESERVE)),
                        new CompensateSettlement(TENANT, ID, SettlementSaga.REASON_TIMED_OUT,
                                "settlement s-1 was not completed by its deadline 2026-12-06T10:01:00.000000Z",
                                List.of(REVERSAL, RESERVE)));
    }

    @Test
    void sagaStateSurvivesTheJsonOfTheSagaStore() throws Exception {
        ObjectMapper json = LedgerJson.mapper();
        SettlementSaga saga = new SettlementSaga();
        java.lang.reflect.Field settlement = SettlementSaga.class.getDeclaredField("settlement");
        settlement.setAccessible(true);
        settlement.set(saga, buyingYen());
        java.lang.reflect.Field reserved = SettlementSaga.class.getDeclaredField("reserved");
        reserved.setAccessible(true);
        reserved.setBoolean(saga, true);
        String stored = json.writeValueAsString(saga);
        SettlementSaga back = json.readValue(stored, SettlementSaga.class);
        assertThat(json.writeValueAsString(back)).isEqualTo(stored);
        assertThat((SettlementStarted) settlement.get(back)).isEqualTo(buyingYen());
        assertThat(reserved.getBoolean(back)).isTrue();
        assertThat(back.destinationLegs(false)).isEqualTo(destinationLegs(false));
    }

    private static org.hamcrest.Matcher<List<? super org.axonframework.deadline.DeadlineMessage<?>>> count(int n) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(List<? super org.axonframework.deadline.DeadlineMessage<?>> items) {
                return items.size() == n;
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText(n + " deadlines met");
            }
        };
    }

    private static org.hamcrest.Matcher<List<? super org.axonframework.commandhandling.CommandMessage<?>>> lastIs(
            Object payload) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(List<? super org.axonframework.commandhandling.CommandMessage<?>> items) {
                return !items.isEmpty() && ((org.axonframework.commandhandling.CommandMessage<?>) items
                        .get(items.size() - 1)).getPayload().equals(payload);
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("last command ").appendValue(payload);
            }
        };
    }
}
