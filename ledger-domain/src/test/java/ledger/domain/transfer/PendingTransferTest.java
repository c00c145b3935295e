package ledger.domain.transfer;

import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.money;
import static ledger.domain.Commands.usd;
import static ledger.domain.LedgerHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.book.AccountState;
import ledger.domain.book.BookEntry;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.EventSeal;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.axonframework.test.deadline.ScheduledDeadlineInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pending transfers (holds): reserve, post in full or in part, void, expire at the deadline. Each
 * change is one event of the transfer, naming both accounts and the amounts, and one book entry per
 * account. The account "wallet" (asset, no overdraft) holds 100.00 and pays "merchant" (asset,
 * empty).
 */
class PendingTransferTest {
    private static final String TENANT = "acme";
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private final Commands acme = Commands.forTenant(TENANT);
    private LedgerHarness ledger;

    @BeforeEach
    void start() {
        ledger = LedgerHarness.create();
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openAsset("wallet", USD));
        ledger.send(acme.openAsset("merchant", USD));
        ledger.send(acme.transfer("fund", "wallet", "equity", usd("100.00")));
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private AccountState wallet() {
        return ledger.account(TENANT, "wallet");
    }

    private AccountState merchant() {
        return ledger.account(TENANT, "merchant");
    }

    /** An open USD asset without overdraft, as the book holds it. */
    private static AccountState asset(String id, long debitsPosted, long creditsPosted, long debitsPending,
                                      long creditsPending, long version) {
        return new AccountState(TENANT, id, USD, AccountKind.ASSET, OverdraftLimit.none(), AccountStatus.OPEN,
                debitsPosted, creditsPosted, debitsPending, creditsPending, version);
    }

    /** The merchant's and the wallet's entries of one change of transfer "p1" (debit leg first). */
    private static List<BookEntry> entries(String type, long amount, Instant at, AccountState merchant,
                                           AccountState wallet) {
        return List.of(new BookEntry(merchant, type, "p1", Side.DEBIT, amount, at),
                new BookEntry(wallet, type, "p1", Side.CREDIT, amount, at));
    }

    private List<BookEntry> entriesAfter(Runnable action) {
        int before = ledger.entryCount();
        action.run();
        return ledger.entriesSince(before);
    }

    /** A hold of 30.00 on the wallet for the merchant. */
    private void hold() {
        ledger.send(acme.pending("p1", "merchant", "wallet", usd("30.00"), TIMEOUT));
    }

    private List<Object> after(Runnable action) {
        long before = ledger.eventCount();
        action.run();
        return ledger.payloadsSince(before);
    }

    @Test
    void reservesTheAmountWithoutPostingIt() {
        int entriesBefore = ledger.entryCount();
        List<Object> events = after(this::hold);

        assertThat(events).containsExactly(
                new TransferPending(TENANT, "p1", "merchant", "wallet", "30.00", "USD", "2030-01-01T00:15:00.000000Z",
                        Map.of()));
        assertThat(ledger.entriesSince(entriesBefore)).isEqualTo(entries(BookEntry.RESERVED, 3000, START,
                asset("merchant", 0, 0, 3000, 0, 1), asset("wallet", 10000, 0, 0, 3000, 2)));
        assertThat(wallet().balance()).isEqualTo(10000);
        assertThat(wallet().available()).isEqualTo(7000);
        assertThat(wallet().creditsPending()).isEqualTo(3000);
        assertThat(merchant().balance()).isZero();
        assertThat(merchant().debitsPending()).isEqualTo(3000);
        assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.PENDING);
    }

    @Test
    void schedulesTheExpiryDeadlineAtExpiresAt() {
        hold();

        List<ScheduledDeadlineInfo> scheduled = ledger.deadlines().getScheduledDeadlines();
        assertThat(scheduled).singleElement().satisfies(deadline -> {
            assertThat(deadline.getDeadlineName()).isEqualTo(LedgerCommandHandler.EXPIRY_DEADLINE);
            assertThat(deadline.getScheduleTime()).isEqualTo(Instant.parse("2030-01-01T00:15:00Z"));
            assertThat(deadline.deadlineMessage().getPayload()).isEqualTo(new PendingExpiryDue(TENANT, "p1"));
        });
    }

    @Test
    void reservedFundsAreNotAvailableToLaterTransfers() {
        hold();

        ledger.reject(acme.transfer("t1", "equity", "wallet", usd("70.01")), RejectionCode.INSUFFICIENT_FUNDS);
        ledger.reject(acme.pending("p2", "equity", "wallet", usd("70.01"), null), RejectionCode.INSUFFICIENT_FUNDS);
        ledger.send(acme.transfer("t2", "equity", "wallet", usd("70.00")));
        assertThat(wallet().available()).isZero();
    }

    @Test
    void rejectsAHoldBeyondTheAvailableBalance() {
        ledger.reject(acme.pending("p1", "merchant", "wallet", usd("100.01"), TIMEOUT),
                RejectionCode.INSUFFICIENT_FUNDS);
    }

    @Test
    void incomingPendingFundsAreNotAvailableBeforeTheyArePosted() {
        ledger.send(acme.pending("in", "wallet", "equity", usd("50.00"), null));

        assertThat(wallet().debitsPending()).isEqualTo(5000);
        assertThat(wallet().available()).isEqualTo(10000);
        ledger.reject(acme.transfer("t1", "equity", "wallet", usd("100.01")), RejectionCode.INSUFFICIENT_FUNDS);
    }

    @Test
    void postsAPendingTransferInFull() {
        hold();

        int entriesBefore = ledger.entryCount();
        List<Object> events = after(() -> ledger.send(acme.post("p1", null)));

        assertThat(events).containsExactly(
                new PendingTransferPosted(TENANT, "p1", "merchant", "wallet", "30.00", "30.00", "USD"));
        assertThat(ledger.entriesSince(entriesBefore)).isEqualTo(entries(BookEntry.PENDING_POSTED, 3000, START,
                asset("merchant", 3000, 0, 0, 0, 2), asset("wallet", 10000, 3000, 0, 0, 3)));
        assertThat(wallet().balance()).isEqualTo(7000);
        assertThat(wallet().available()).isEqualTo(7000);
        assertThat(wallet().creditsPending()).isZero();
        assertThat(merchant().balance()).isEqualTo(3000);
        assertThat(merchant().debitsPending()).isZero();
        TransferSnapshot transfer = ledger.transfer(TENANT, "p1");
        assertThat(transfer.status()).isEqualTo(TransferStatus.POSTED);
        assertThat(transfer.postedAmount()).isEqualTo("30.00");
    }

    @Test
    void postsPartOfAPendingTransferAndReleasesTheRest() {
        hold();

        int entriesBefore = ledger.entryCount();
        List<Object> events = after(() -> ledger.send(acme.post("p1", "10.5")));

        assertThat(events).containsExactly(
                new PendingTransferPosted(TENANT, "p1", "merchant", "wallet", "30.00", "10.50", "USD"));
        assertThat(ledger.entriesSince(entriesBefore)).as("the amount posted, the reservation ended")
                .isEqualTo(entries(BookEntry.PENDING_POSTED, 1050, START,
                        asset("merchant", 1050, 0, 0, 0, 2), asset("wallet", 10000, 1050, 0, 0, 3)));
        assertThat(wallet().balance()).isEqualTo(8950);
        assertThat(wallet().available()).isEqualTo(8950);
        assertThat(wallet().creditsPending()).isZero();
        assertThat(merchant().debitsPending()).isZero();
        assertThat(ledger.transfer(TENANT, "p1").postedAmount()).isEqualTo("10.50");
    }

    @Test
    void postsPartOfAPendingTransferInAZeroDecimalCurrency() {
        ledger.send(acme.openSource("equity-jpy", JPY));
        ledger.send(acme.openAsset("wallet-jpy", JPY));
        ledger.send(acme.transfer("fund-jpy", "wallet-jpy", "equity-jpy", money("1000", JPY)));
        ledger.send(acme.pending("pj", "equity-jpy", "wallet-jpy", money("400", JPY), null));

        ledger.reject(acme.post("pj", "1.5"), RejectionCode.AMOUNT_INVALID);
        ledger.send(acme.post("pj", "150"));

        assertThat(ledger.account(TENANT, "wallet-jpy").balance()).isEqualTo(850);
        assertThat(ledger.account(TENANT, "wallet-jpy").creditsPending()).isZero();
    }

    @Test
    void rejectsPostingMoreThanIsPending() {
        hold();

        ledger.reject(acme.post("p1", "30.01"), RejectionCode.AMOUNT_INVALID);
        assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.PENDING);
    }

    @Test
    void rejectsPostingAnInvalidAmount() {
        hold();

        for (String amount : new String[] {"0", "0.00", "-1.00", "1.001", "1e3", "abc", "", "10000000000000.00"}) {
            ledger.reject(acme.post("p1", amount), RejectionCode.AMOUNT_INVALID);
        }
        assertThat(wallet().creditsPending()).isEqualTo(3000);
    }

    @Test
    void voidReleasesTheReservation() {
        hold();

        int entriesBefore = ledger.entryCount();
        List<Object> events = after(() -> ledger.send(acme.voidPending("p1")));

        assertThat(events).containsExactly(
                new PendingTransferVoided(TENANT, "p1", "merchant", "wallet", "30.00", "USD"));
        assertThat(ledger.entriesSince(entriesBefore)).isEqualTo(entries(BookEntry.VOIDED, 3000, START,
                asset("merchant", 0, 0, 0, 0, 2), asset("wallet", 10000, 0, 0, 0, 3)));
        assertThat(wallet().available()).isEqualTo(10000);
        assertThat(wallet().creditsPending()).isZero();
        assertThat(merchant().debitsPending()).isZero();
        assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.VOIDED);
    }

    @Test
    void expiresAtTheDeadlineAndReleasesTheReservation() {
        hold();

        int entriesBefore = ledger.entryCount();
        List<Object> events = after(() -> ledger.advanceTime(TIMEOUT));

        assertThat(events).containsExactly(
                new PendingTransferExpired(TENANT, "p1", "merchant", "wallet", "30.00", "USD"));
        assertThat(ledger.entriesSince(entriesBefore)).isEqualTo(entries(BookEntry.EXPIRED, 3000,
                START.plus(TIMEOUT), asset("merchant", 0, 0, 0, 0, 2), asset("wallet", 10000, 0, 0, 0, 3)));
        assertThat(wallet().available()).isEqualTo(10000);
        assertThat(merchant().debitsPending()).isZero();
        assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.EXPIRED);
    }

    @Test
    void expiryEventsAreAttributedToTheDeadlineAtItsTime() {
        hold();
        ledger.advanceTime(TIMEOUT.plusMinutes(5));

        List<DomainEventMessage<?>> expiry = ledger.allEvents().stream()
                .filter(e -> e.getPayload() instanceof PendingTransferExpired).toList();
        assertThat(ledger.store().entries()).filteredOn(e -> BookEntry.EXPIRED.equals(e.type())).hasSize(2)
                .allSatisfy(e -> assertThat(e.occurredAt()).isEqualTo(Instant.parse("2030-01-01T00:15:00Z")));
        assertThat(expiry).hasSize(1).allSatisfy(e -> {
            assertThat(e.getMetaData().get(AuditKeys.ACTOR))
                    .isEqualTo(EventSeal.SYSTEM_ACTOR + ":" + LedgerCommandHandler.EXPIRY_DEADLINE);
            assertThat(e.getMetaData().get(AuditKeys.OCCURRED_AT)).isEqualTo("2030-01-01T00:15:00.000000Z");
        });
    }

    @Test
    void doesNotExpireBeforeTheDeadline() {
        hold();
        long eventsBefore = ledger.eventCount();

        assertThat(entriesAfter(() -> ledger.advanceTime(TIMEOUT.minusSeconds(1)))).isEmpty();

        assertThat(ledger.payloadsSince(eventsBefore)).isEmpty();
        assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.PENDING);
        ledger.send(acme.post("p1", null));
    }

    @Test
    void postAndVoidCancelTheirExpiryDeadlines() {
        hold();
        ledger.send(acme.pending("p2", "merchant", "wallet", usd("20.00"), TIMEOUT));
        ledger.send(acme.pending("p3", "merchant", "wallet", usd("10.00"), TIMEOUT));
        assertThat(ledger.deadlines().getScheduledDeadlines()).hasSize(3);

        ledger.send(acme.post("p1", null));
        ledger.send(acme.voidPending("p2"));

        assertThat(ledger.deadlines().getScheduledDeadlines()).singleElement()
                .satisfies(left -> assertThat(left.deadlineMessage().getPayload())
                        .isEqualTo(new PendingExpiryDue(TENANT, "p3")));
        ledger.advanceTime(TIMEOUT);
        assertThat(ledger.transfer(TENANT, "p3").status()).isEqualTo(TransferStatus.EXPIRED);
        assertThat(ledger.deadlines().getTriggeredDeadlines()).hasSize(1);
    }

    @Test
    void aHoldsExpiryThatFiresAfterPostOrVoidChangesNothing() {
        // a deadline this node does not know of: scheduled on another node, or before a restart
        hold();
        ledger.send(acme.pending("p2", "merchant", "wallet", usd("20.00"), TIMEOUT));
        ledger.send(acme.post("p1", null));
        ledger.send(acme.voidPending("p2"));
        for (String id : List.of("p1", "p2")) {
            ledger.deadlines().schedule(START.plus(TIMEOUT), LedgerCommandHandler.EXPIRY_DEADLINE,
                    new PendingExpiryDue(TENANT, id), new AggregateScopeDescriptor(AggregateIds.TRANSFER_TYPE,
                            AggregateIds.transfer(TenantId.of(TENANT), TransferId.of(id))));
        }

        int entriesBefore = ledger.entryCount();
        List<Object> events = after(() -> ledger.advanceTime(TIMEOUT.multipliedBy(2)));

        assertThat(events).isEmpty();
        assertThat(ledger.entriesSince(entriesBefore)).isEmpty();
        assertThat(ledger.deadlines().getTriggeredDeadlines()).hasSize(2);
        assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.POSTED);
        assertThat(ledger.transfer(TENANT, "p2").status()).isEqualTo(TransferStatus.VOIDED);
    }

    @Test
    void aPendingTransferWithoutTimeoutNeverExpires() {
        ledger.send(acme.pending("p1", "merchant", "wallet", usd("30.00"), null));

        assertThat(ledger.deadlines().getScheduledDeadlines()).isEmpty();
        ledger.advanceTime(Duration.ofDays(400));
        assertThat(ledger.transfer(TENANT, "p1").expiresAt()).isNull();
        ledger.send(acme.post("p1", null));
    }

    @Test
    void rejectsPostingAfterExpiresAtEvenIfTheDeadlineIsLate() {
        hold();
        ledger.advanceClockOnly(TIMEOUT);

        ledger.reject(acme.post("p1", null), RejectionCode.TRANSFER_EXPIRED);
        ledger.reject(acme.post("p1", "1.00"), RejectionCode.TRANSFER_EXPIRED);

        ledger.advanceTime(Duration.ZERO);
        assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.EXPIRED);
        assertThat(wallet().creditsPending()).isZero();
    }

    @Test
    void postsOneMicrosecondBeforeExpiresAt() {
        hold();
        ledger.advanceTime(TIMEOUT.minusNanos(1000));

        ledger.send(acme.post("p1", null));
    }

    @Test
    void rejectsPostOrVoidOfATransferThatDoesNotExist() {
        ledger.reject(acme.post("ghost", null), RejectionCode.TRANSFER_NOT_FOUND);
        ledger.reject(acme.voidPending("ghost"), RejectionCode.TRANSFER_NOT_FOUND);
    }

    @Test
    void rejectsPostOrVoidOfATransferThatWasPostedAtOnce() {
        ledger.send(acme.transfer("t1", "merchant", "wallet", usd("1.00")));

        ledger.reject(acme.post("t1", null), RejectionCode.TRANSFER_NOT_PENDING);
        ledger.reject(acme.voidPending("t1"), RejectionCode.TRANSFER_NOT_PENDING);
    }

    @Test
    void rejectsPostAfterVoid() {
        hold();
        ledger.send(acme.voidPending("p1"));

        ledger.reject(acme.post("p1", null), RejectionCode.TRANSFER_NOT_PENDING);
        ledger.reject(acme.voidPending("p1"), RejectionCode.TRANSFER_NOT_PENDING);
    }

    @Test
    void rejectsVoidAfterPost() {
        hold();
        ledger.send(acme.post("p1", "5.00"));

        ledger.reject(acme.voidPending("p1"), RejectionCode.TRANSFER_NOT_PENDING);
        ledger.reject(acme.post("p1", null), RejectionCode.TRANSFER_NOT_PENDING);
    }

    @Test
    void rejectsPostOrVoidAfterExpiry() {
        hold();
        ledger.advanceTime(TIMEOUT);

        ledger.reject(acme.post("p1", null), RejectionCode.TRANSFER_NOT_PENDING);
        ledger.reject(acme.voidPending("p1"), RejectionCode.TRANSFER_NOT_PENDING);
    }

    @Test
    void rejectsPostingWhileEitherAccountIsFrozen() {
        hold();
        ledger.send(acme.freeze("wallet"));
        ledger.reject(acme.post("p1", null), RejectionCode.ACCOUNT_FROZEN);

        ledger.send(acme.unfreeze("wallet"));
        ledger.send(acme.freeze("merchant"));
        ledger.reject(acme.post("p1", null), RejectionCode.ACCOUNT_FROZEN);
    }

    @Test
    void voidAndExpiryReleaseEvenWhenAnAccountIsFrozen() {
        hold();
        ledger.send(acme.pending("p2", "merchant", "wallet", usd("20.00"), TIMEOUT));
        ledger.send(acme.freeze("wallet"));

        ledger.send(acme.voidPending("p1"));
        ledger.advanceTime(TIMEOUT);

        assertThat(ledger.transfer(TENANT, "p2").status()).isEqualTo(TransferStatus.EXPIRED);
        assertThat(wallet().creditsPending()).isZero();
        assertThat(wallet().available()).isEqualTo(10000);
    }
}
