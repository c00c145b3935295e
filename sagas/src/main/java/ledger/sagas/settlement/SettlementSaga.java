package ledger.sagas.settlement;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.Together;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import ledger.sagas.settlement.SettlementCommands.CompensateSettlement;
import ledger.sagas.settlement.SettlementCommands.CompleteSettlement;
import ledger.sagas.settlement.SettlementCommands.FailSettlement;
import ledger.sagas.settlement.SettlementCommands.RecordRefusal;
import ledger.sagas.settlement.SettlementCommands.RecordStep;
import ledger.sagas.settlement.SettlementCommands.RequoteSettlement;
import ledger.sagas.settlement.SettlementEvents.SettlementCompensated;
import ledger.sagas.settlement.SettlementEvents.SettlementCompleted;
import ledger.sagas.settlement.SettlementEvents.SettlementFailed;
import ledger.sagas.settlement.SettlementEvents.SettlementRequoted;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;
import ledger.sagas.settlement.SettlementEvents.SettlementStepDone;
import ledger.sagas.settlement.SettlementEvents.SettlementStepRefused;
import ledger.sagas.settlement.SettlementRuntime.Answer;
import ledger.sagas.settlement.SettlementRuntime.Refused;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;

/**
 * The settlement process (docs/settlement.md): reserve the source amount, post the destination
 * side with the spread and rounding, post the reservation; or, when a step is refused or the
 * deadline passes first, undo what was done (void the reservation, reverse the destination side by
 * an opposite entry) so the source is exactly as it was.
 *
 * <p>Each step is driven by the {@link Settlement}'s event recording the step before it, so the
 * saga's progress is the aggregate's history. A step's handler sends its ledger command, paired
 * with the step's record ({@code Together}: one unit of work), and returns; that record's event
 * brings the saga back. The pair's continuation ({@link SettlementRuntime#sendThen}) records a
 * refusal, or a step the ledger had done before a restart. Compensations run inside the handler, waiting for each command. The saga keeps only serializable state (stored by
 * Axon's JDBC saga store as JSON); the gateway, deadline manager and {@link SettlementRuntime} come
 * in as handler parameters.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class SettlementSaga {
    public static final String DEADLINE = "settlement-deadline";
    /** A compensation the ledger refused (the destination frozen before its reversal) is tried again after this. */
    public static final Duration COMPENSATION_RETRY = Duration.ofSeconds(30);
    public static final String COMPENSATION_RETRY_DEADLINE = "settlement-compensation-retry";
    /** How often a refused compensation is tried again before the saga gives up and waits for an operator. */
    public static final int COMPENSATION_ATTEMPTS_MAX = 120;
    public static final String ACTOR = "system:settlement";

    public static final String REASON_TIMED_OUT = "settlement_timed_out";
    public static final String REASON_QUOTE_EXPIRED = "quote_expired";
    /** When the deadline finds a step's command in flight, it looks again after this (unless the step's outcome comes first). */
    public static final Duration STEP_IN_FLIGHT_RECHECK = Duration.ofSeconds(1);

    private SettlementStarted settlement;
    private String correlationId;
    private boolean reserved;
    private boolean destinationPosted;
    private boolean reservationPosted;
    /** Completion, failure or compensation has been asked for: no further step is taken. */
    private boolean closing;
    private String compensationCode;
    private String compensationDetail;
    private int compensationAttempts;
    private List<String> undone = new ArrayList<>();
    /** The id of the scheduled deadline (the settlement's, or its re-check while a step is in flight). */
    private String deadlineId;
    /** The id of the scheduled retry of a refused compensation, if any. */
    private String retryDeadlineId;
    /** The source amount the reservation was sent for (null: not sent); a re-quote may post less of it. */
    private String reservedAmount;
    /** Re-quoted once: a second expiry fails or compensates. */
    private boolean requoted;
    /** Why the last re-quote was not made (appended to the expiry's detail); not kept. */
    private transient String requoteRefusal = "";

    /** A deadline's payload (a handler's first parameter is its payload). */
    public record Deadline(String settlementId) {
    }

    public static String reservationId(String settlementId) {
        return settlementId + ":fx-reserve";
    }

    public static String destinationId(String settlementId) {
        return settlementId + ":fx-destination";
    }

    public static String reversalId(String settlementId) {
        return settlementId + ":fx-reversal";
    }

    @StartSaga
    @SagaEventHandler(associationProperty = BySettlement.KEY, associationResolver = BySettlement.class)
    public void on(SettlementStarted started, @Timestamp Instant at,
                   @MetaDataValue(AuditKeys.CORRELATION_ID) String correlation,
                   CommandGateway gateway, DeadlineManager deadlines, SettlementRuntime runtime) {
        this.settlement = started;
        this.correlationId = correlation;
        deadlineId = deadlines.schedule(Instant.parse(started.deadline()), DEADLINE, new Deadline(started.settlementId()));
        if (pastDeadline(runtime)) {
            fail(gateway, runtime, REASON_TIMED_OUT, "settlement " + started.settlementId() + " was not started by "
                    + "its deadline " + started.deadline());
            return;
        }
        if (!at.isBefore(Instant.parse(started.quote().expiresAt()))) {
            String why = "quote " + started.quote().id() + " expired at " + started.quote().expiresAt()
                    + " before the source amount was reserved";
            if (!requote(gateway, runtime, why)) {
                fail(gateway, runtime, REASON_QUOTE_EXPIRED, why + requoteRefusal);
            }
            return;
        }
        begin(gateway, runtime, at);
    }

    /** Opens the house accounts the settlement needs, then sends the reservation. */
    private void begin(CommandGateway gateway, SettlementRuntime runtime, Instant at) {
        Refused opening = openHouseAccounts(gateway, runtime);
        if (opening != null) {
            fail(gateway, runtime, opening.code(), opening.detail());
            return;
        }
        reserve(gateway, runtime, at);
    }

    /** Re-quoted: the step that found the quote expired is taken again, on the new amounts. */
    @SagaEventHandler(associationProperty = BySettlement.KEY, associationResolver = BySettlement.class)
    public void on(SettlementRequoted requote, @Timestamp Instant at, CommandGateway gateway,
                   DeadlineManager deadlines, SettlementRuntime runtime) {
        requoted = true;
        settlement = Settlements.withRequote(settlement, requote);
        if (closing) {
            return;
        }
        if (pastDeadline(runtime)) {
            onDeadline(new Deadline(settlement.settlementId()), gateway, deadlines, runtime);
            return;
        }
        if (!reserved) {
            begin(gateway, runtime, at);
        } else {
            postDestination(gateway, deadlines, runtime, at);
        }
    }

    @SagaEventHandler(associationProperty = BySettlement.KEY, associationResolver = BySettlement.class)
    public void on(SettlementStepDone done, @Timestamp Instant at, CommandGateway gateway,
                   DeadlineManager deadlines, SettlementRuntime runtime) {
        Step step = Step.valueOf(done.step());
        switch (step) { // what the ledger has done, whatever happens next
            case RESERVED -> {
                reserved = true;
                if (reservedAmount == null) {
                    reservedAmount = settlement.sourceAmount(); // a saga stored before this field existed
                }
            }
            case DESTINATION_POSTED -> destinationPosted = true;
            case RESERVATION_POSTED -> reservationPosted = true;
        }
        if (closing) {
            return;
        }
        if (pastDeadline(runtime) && step != Step.RESERVATION_POSTED) {
            onDeadline(new Deadline(settlement.settlementId()), gateway, deadlines, runtime);
            return;
        }
        switch (step) {
            case RESERVED -> postDestination(gateway, deadlines, runtime, at);
            case DESTINATION_POSTED -> postReservation(gateway, runtime);
            case RESERVATION_POSTED -> {
                // recorded with the completion: nothing left to do
            }
        }
    }

    /**
     * The ledger refused a step's command: undo what was done. (A refused reservation fails the
     * settlement straight from the step's continuation: nothing was posted.)
     */
    @SagaEventHandler(associationProperty = BySettlement.KEY, associationResolver = BySettlement.class)
    public void on(SettlementStepRefused refused, CommandGateway gateway, DeadlineManager deadlines,
                   SettlementRuntime runtime) {
        if (closing) {
            return;
        }
        switch (Step.valueOf(refused.step())) {
            case RESERVED -> fail(gateway, runtime, refused.code(), refused.detail());
            case DESTINATION_POSTED, RESERVATION_POSTED -> compensate(gateway, deadlines, runtime, refused.code(),
                    refused.detail());
        }
    }

    @DeadlineHandler(deadlineName = DEADLINE)
    public void onDeadline(Deadline deadline, CommandGateway gateway, DeadlineManager deadlines, SettlementRuntime runtime) {
        if (closing) {
            return;
        }
        if (runtime.inFlight(settlement.tenant(), settlement.settlementId())) {
            // A step's command is on its way and may still post: decide once its outcome is recorded (its event
            // finds the deadline passed) or, at the latest, when it is no longer in flight here.
            deadlineId = deadlines.schedule(STEP_IN_FLIGHT_RECHECK, DEADLINE, deadline);
            return;
        }
        compensate(gateway, deadlines, runtime, REASON_TIMED_OUT, "settlement " + settlement.settlementId()
                + " was not completed by its deadline " + settlement.deadline());
    }

    @DeadlineHandler(deadlineName = COMPENSATION_RETRY_DEADLINE)
    public void onCompensationRetry(Deadline retry, CommandGateway gateway, DeadlineManager deadlines, SettlementRuntime runtime) {
        undo(gateway, deadlines, runtime);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = BySettlement.KEY, associationResolver = BySettlement.class)
    public void on(SettlementCompleted completed, DeadlineManager deadlines) {
        cancelDeadlines(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = BySettlement.KEY, associationResolver = BySettlement.class)
    public void on(SettlementCompensated compensated, DeadlineManager deadlines) {
        cancelDeadlines(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = BySettlement.KEY, associationResolver = BySettlement.class)
    public void on(SettlementFailed failed, DeadlineManager deadlines) {
        cancelDeadlines(deadlines);
    }

    /**
     * Cancels this saga's deadlines by their ids. (Cancelling "all within scope" makes the
     * db-scheduler deadline manager read and deserialize every scheduled task of that name, every
     * pending settlement's: measured at half the service's CPU with 32 settlements in flight.) A
     * saga stored before the ids were kept cancels within its scope.
     */
    private void cancelDeadlines(DeadlineManager deadlines) {
        if (deadlineId != null) {
            deadlines.cancelSchedule(DEADLINE, deadlineId);
        } else {
            deadlines.cancelAllWithinScope(DEADLINE);
        }
        if (retryDeadlineId != null) {
            deadlines.cancelSchedule(COMPENSATION_RETRY_DEADLINE, retryDeadlineId);
        } else if (compensationAttempts > 0) {
            deadlines.cancelAllWithinScope(COMPENSATION_RETRY_DEADLINE);
        }
    }

    // ---------------------------------------------------------------- the steps

    /** Whether the deadline has passed (its deadline message may still be on its way, e.g. after a restart). */
    private boolean pastDeadline(SettlementRuntime runtime) {
        return !runtime.now().isBefore(Instant.parse(settlement.deadline()));
    }

    /** Opens the tenant's FX house accounts this settlement needs, unless they exist; the first refusal otherwise. */
    private Refused openHouseAccounts(CommandGateway gateway, SettlementRuntime runtime) {
        var house = settlement.house();
        record Wanted(String id, String currency, AccountKind kind) {
        }
        List<Wanted> wanted = List.of(
                new Wanted(house.sourcePosition(), settlement.sourceCurrency(), AccountKind.ASSET),
                new Wanted(house.destinationPosition(), settlement.destinationCurrency(), AccountKind.ASSET),
                new Wanted(house.revenue(), settlement.destinationCurrency(), AccountKind.REVENUE),
                new Wanted(house.rounding(), settlement.destinationCurrency(), AccountKind.REVENUE));
        for (Wanted account : wanted) {
            if (runtime.knownAccount(settlement.tenant(), account.id())) {
                continue;
            }
            CurrencyCode currency = new CurrencyCode(account.currency(), scaleOf(account.currency()));
            Answer answer = runtime.send(gateway, new OpenAccount(tenant(), AccountId.of(account.id()), currency,
                    account.kind(), OverdraftLimit.unlimitedLimit()), metaData());
            if (answer instanceof Refused refused && !answer.refusedWith(RejectionCode.DUPLICATE_ID)) {
                return refused;
            }
            runtime.rememberAccount(settlement.tenant(), account.id());
        }
        return null;
    }

    /**
     * Sends the reservation; its continuation records it (or fails the settlement, nothing being
     * posted), and that event makes the saga take the next step.
     */
    private void reserve(CommandGateway gateway, SettlementRuntime runtime, Instant at) {
        Duration untilDeadline = Duration.between(at, Instant.parse(settlement.deadline()));
        Duration timeout = untilDeadline.plus(SettlementRuntime.RESERVATION_GRACE);
        if (timeout.compareTo(TransferCommands.PENDING_TIMEOUT_MAX) > 0) {
            timeout = TransferCommands.PENDING_TIMEOUT_MAX;
        }
        String id = reservationId(settlement.settlementId());
        reservedAmount = settlement.sourceAmount();
        Outcome outcome = outcome(gateway, runtime);
        RecordStep done = new RecordStep(outcome.tenant(), outcome.settlementId(), Step.RESERVED, id);
        outcome.send(new Together(new CreateTransfer(tenant(), TransferId.of(id),
                AccountId.of(settlement.sourceAccount()), AccountId.of(settlement.house().sourcePosition()),
                money(settlement.sourceAmount(), settlement.sourceCurrency()), true,
                Duration.ofSeconds(Math.max(1, timeout.toSeconds())), transferMetadata()), done), answer -> {
            if (answer.refusedWith(RejectionCode.DUPLICATE_ID)) {
                outcome.record(done); // reserved before a restart: record it now
            } else if (answer instanceof Refused refused) {
                outcome.record(new FailSettlement(outcome.tenant(), outcome.settlementId(), refused.code(),
                        refused.detail()));
            }
        });
    }

    private void postDestination(CommandGateway gateway, DeadlineManager deadlines, SettlementRuntime runtime,
                                 Instant at) {
        if (!at.isBefore(Instant.parse(settlement.quote().expiresAt()))) {
            String why = "quote " + settlement.quote().id() + " expired at " + settlement.quote().expiresAt()
                    + " before the destination side was posted";
            if (!requote(gateway, runtime, why)) {
                compensate(gateway, deadlines, runtime, REASON_QUOTE_EXPIRED, why + requoteRefusal);
            }
            return;
        }
        String id = destinationId(settlement.settlementId());
        Outcome outcome = outcome(gateway, runtime);
        RecordStep done = new RecordStep(outcome.tenant(), outcome.settlementId(), Step.DESTINATION_POSTED, id);
        outcome.send(new Together(new PostEntry(tenant(), TransferId.of(id), destinationLegs(false),
                transferMetadata()), done), answer -> {
            if (answer.refusedWith(RejectionCode.DUPLICATE_ID)) {
                outcome.record(done); // posted before a restart: record it now
            } else if (answer instanceof Refused refused) {
                outcome.record(new RecordRefusal(outcome.tenant(), outcome.settlementId(), Step.DESTINATION_POSTED,
                        refused.code(), refused.detail()));
            }
        });
    }

    /**
     * Posts the reservation, naming its two accounts so that the post shares a group commit; its
     * continuation completes the settlement, or records the refusal (the saga then compensates).
     */
    private void postReservation(CommandGateway gateway, SettlementRuntime runtime) {
        String id = reservationId(settlement.settlementId());
        Outcome outcome = outcome(gateway, runtime);
        // a re-quote after the reservation may need less of the source (a purchase): the rest is released
        String amount = settlement.sourceAmount().equals(reservedAmount) ? null : settlement.sourceAmount();
        CompleteSettlement done = new CompleteSettlement(outcome.tenant(), outcome.settlementId(), id);
        outcome.send(new Together(new PostPendingTransfer(tenant(), TransferId.of(id), amount,
                List.of(AccountId.of(settlement.sourceAccount()), AccountId.of(settlement.house().sourcePosition()))),
                done), answer -> {
                    if (answer instanceof Refused refused) {
                        if (postedBefore(runtime, outcome.tenant(), id)) {
                            outcome.record(done); // posted before a restart: complete now
                        } else {
                            outcome.record(new RecordRefusal(outcome.tenant(), outcome.settlementId(),
                                    Step.RESERVATION_POSTED, refused.code(), refused.detail()));
                        }
                    }
                });
    }

    /**
     * Asks for a new quote (if the service re-quotes and this settlement has not been re-quoted yet)
     * and records it; its event takes the settlement on. False, with {@link #requoteRefusal} saying
     * why where it tried, when the settlement must fail or compensate instead: no re-quote, no rate,
     * or a purchase whose new source amount exceeds what was reserved.
     */
    private boolean requote(CommandGateway gateway, SettlementRuntime runtime, String why) {
        requoteRefusal = "";
        var requoter = runtime.requoter();
        if (requoter.isEmpty() || requoted) {
            return false;
        }
        SettlementRequoted requote;
        try {
            requote = requoter.get().requote(settlement);
        } catch (RuntimeException unavailable) { // no rate, every provider down: the settlement ends as without re-quote
            requoteRefusal = "; no re-quote (" + unavailable.getMessage() + ")";
            return false;
        }
        if (reservedAmount != null && Money.minorOf(requote.sourceAmount()) > Money.minorOf(reservedAmount)) {
            requoteRefusal = "; the new quote " + requote.quote().id() + " needs " + requote.sourceAmount() + " "
                    + settlement.sourceCurrency() + ", more than the " + reservedAmount + " reserved";
            return false;
        }
        outcome(gateway, runtime).record(new RequoteSettlement(requote));
        return true;
    }

    /** Whether the reservation is posted already (by this saga, before a restart made it send the post again). */
    private static boolean postedBefore(SettlementRuntime runtime, String tenant, String reservation) {
        return runtime.transferStatus(tenant, reservation).filter("POSTED"::equals).isPresent();
    }

    private boolean postedBefore(SettlementRuntime runtime, String reservation) {
        return postedBefore(runtime, settlement.tenant(), reservation);
    }

    /**
     * What a step's continuation may use: values only, never the saga instance (which may be
     * handling its next event by then). {@link #send} sends a step's ledger command; {@link #record}
     * records its outcome on the Settlement aggregate.
     */
    private record Outcome(SettlementRuntime runtime, CommandGateway gateway, String tenant, String settlementId,
                           Map<String, Object> metaData) {
        void send(Object command, java.util.function.Consumer<Answer> then) {
            runtime.sendThen(tenant, settlementId, gateway, command, metaData, then);
        }

        void record(Object command) {
            runtime.sendThen(tenant, settlementId, gateway, command, metaData, answer -> {
            });
        }
    }

    private Outcome outcome(CommandGateway gateway, SettlementRuntime runtime) {
        return new Outcome(runtime, gateway, settlement.tenant(), settlement.settlementId(), Map.copyOf(metaData()));
    }

    private void fail(CommandGateway gateway, SettlementRuntime runtime, String code, String detail) {
        closing = true;
        runtime.send(gateway, new FailSettlement(settlement.tenant(), settlement.settlementId(), code, detail),
                metaData());
    }

    // ---------------------------------------------------------------- compensation

    /**
     * Undoes what was done, for {@code code}. If the reservation turns out to be posted already
     * (its post answered before a restart), the settlement completed and is recorded so instead.
     */
    private void compensate(CommandGateway gateway, DeadlineManager deadlines, SettlementRuntime runtime,
                            String code, String detail) {
        closing = true;
        compensationCode = code;
        compensationDetail = detail;
        undo(gateway, deadlines, runtime);
    }

    private void undo(CommandGateway gateway, DeadlineManager deadlines, SettlementRuntime runtime) {
        String reservation = reservationId(settlement.settlementId());
        if (!destinationPosted && runtime.transferStatus(settlement.tenant(),
                destinationId(settlement.settlementId())).isPresent()) {
            destinationPosted = true; // posted before a restart, its step not recorded yet
        }
        if (reservationPosted || destinationPosted && postedBefore(runtime, reservation)) {
            reservationPosted = true;
            runtime.send(gateway, new CompleteSettlement(settlement.tenant(), settlement.settlementId(),
                    reservation), metaData());
            return;
        }
        if (destinationPosted && !undone.contains(reversalId(settlement.settlementId()))) {
            String id = reversalId(settlement.settlementId());
            Answer answer = runtime.send(gateway, new PostEntry(tenant(), TransferId.of(id), destinationLegs(true),
                    transferMetadata()), metaData());
            if (answer instanceof Refused refused && !answer.refusedWith(RejectionCode.DUPLICATE_ID)) {
                retryLater(deadlines, refused);
                return;
            }
            undone.add(id);
        }
        if (!undone.contains(reservation)) {
            Answer answer = runtime.send(gateway, new VoidPendingTransfer(tenant(), TransferId.of(reservation)),
                    metaData());
            if (answer instanceof Refused refused && !answer.refusedWith(RejectionCode.TRANSFER_NOT_PENDING)
                    && !answer.refusedWith(RejectionCode.TRANSFER_NOT_FOUND)) {
                retryLater(deadlines, refused);
                return;
            }
            if (!answer.refusedWith(RejectionCode.TRANSFER_NOT_FOUND)) {
                undone.add(reservation);
            }
        }
        runtime.send(gateway, new CompensateSettlement(settlement.tenant(), settlement.settlementId(),
                compensationCode, compensationDetail, List.copyOf(undone)), metaData());
    }

    private void retryLater(DeadlineManager deadlines, Refused refused) {
        compensationAttempts++;
        compensationDetail = compensationDetail + "; compensation refused (" + refused.code() + ": "
                + refused.detail() + ")";
        if (compensationAttempts < COMPENSATION_ATTEMPTS_MAX) {
            retryDeadlineId = deadlines.schedule(COMPENSATION_RETRY, COMPENSATION_RETRY_DEADLINE,
                    new Deadline(settlement.settlementId()));
        }
        // else: it stays PENDING, its detail saying why, for an operator (docs/settlement.md, "Compensation")
    }

    // ---------------------------------------------------------------- postings

    /**
     * The destination side as one entry: FX position (destination currency) gives up the value at
     * mid, the destination receives D, FX revenue the spread, FX rounding the rounding (a debit when
     * negative); zero parts are left out. {@code reversed}: every side flipped.
     */
    List<EntryLeg> destinationLegs(boolean reversed) {
        String currency = settlement.destinationCurrency();
        int scale = scaleOf(currency);
        List<EntryLeg> legs = new ArrayList<>(4);
        legs.add(leg(settlement.house().destinationPosition(), Side.DEBIT, settlement.valueAtMid(), scale, reversed));
        legs.add(leg(settlement.destinationAccount(), Side.CREDIT, settlement.destinationAmount(), scale, reversed));
        if (Money.minorOf(settlement.spreadRevenuePosted()) != 0) {
            legs.add(leg(settlement.house().revenue(), Side.CREDIT, settlement.spreadRevenuePosted(), scale, reversed));
        }
        long rounding = Money.minorOf(settlement.roundingPosted());
        if (rounding != 0) {
            legs.add(leg(settlement.house().rounding(), rounding > 0 ? Side.CREDIT : Side.DEBIT,
                    settlement.roundingPosted(), scale, reversed));
        }
        return legs;
    }

    private static EntryLeg leg(String account, Side side, String amount, int scale, boolean reversed) {
        String magnitude = Money.format(Math.abs(Money.minorOf(amount)), scale);
        return new EntryLeg(AccountId.of(account), reversed ? side.opposite() : side, magnitude);
    }

    // ---------------------------------------------------------------- helpers

    private TenantId tenant() {
        return TenantId.of(settlement.tenant());
    }

    private Map<String, String> transferMetadata() {
        return Map.of("settlement", settlement.settlementId());
    }

    private Map<String, Object> metaData() {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(AuditKeys.ACTOR, ACTOR);
        if (correlationId != null) {
            metaData.put(AuditKeys.CORRELATION_ID, correlationId);
        }
        return metaData;
    }

    /** The scale of a currency, read from the amounts the settlement was decided with (they carry it). */
    private int scaleOf(String currency) {
        String amount = currency.equals(settlement.sourceCurrency()) ? settlement.sourceAmount()
                : settlement.destinationAmount();
        return new BigDecimal(amount).scale();
    }

    private static Money money(String amount, String currency) {
        return new Money(Money.minorOf(amount), new CurrencyCode(currency, new BigDecimal(amount).scale()));
    }
}
