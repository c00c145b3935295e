package ledger.domain.account;

import static ledger.domain.Commands.BHD;
import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.CoreMatchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import ledger.audit.Envelope;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountPosted;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.event.AccountEvents.AmountReserved;
import ledger.domain.event.AccountEvents.ReservationPosted;
import ledger.domain.event.AccountEvents.ReservationReleased;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.ChainCheck;
import ledger.domain.seal.EventSeal;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Account aggregate alone, on Axon's {@link AggregateTestFixture}: its own commands (open,
 * freeze, unfreeze, close) and the decisions {@code LedgerCommandHandler} asks of it. The other
 * aggregate and the multi-aggregate flows run on {@link LedgerHarness} ({@link AccountTest} has the
 * same rules through the real command bus and event store).
 *
 * <p>Every event handler of the aggregate reads the event's seal ({@code hash} metadata), and the
 * next event is sealed onto it. So a history is given either as commands ({@code givenCommands}),
 * which seal their events as in production, or as {@link #sealed sealed} event messages; bare
 * given events would carry no hash and break the chain.
 */
class AccountFixtureTest {
    private static final String TENANT = "acme";
    private static final String CASH = "cash";
    private static final String AGGREGATE_ID = AggregateIds.account(TenantId.of(TENANT), AccountId.of(CASH));
    private static final Commands ACME = Commands.forTenant(TENANT);

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void createFixture() {
        fixture = new AggregateTestFixture<>(Account.class);
    }

    /** Matches a {@link LedgerRejection} with {@code code}. */
    static Matcher<LedgerRejection> rejectedWith(RejectionCode code) {
        return new FeatureMatcher<LedgerRejection, RejectionCode>(equalTo(code), "a LedgerRejection with code",
                "code") {
            @Override
            protected RejectionCode featureValueOf(LedgerRejection rejection) {
                return rejection.code();
            }
        };
    }

    /**
     * {@code payloads} as the stored history of account "cash", each sealed onto the one before as
     * {@code Account} seals the events it applies (seq from 0, prevHash from the zero hash).
     */
    static List<DomainEventMessage<?>> sealed(Object... payloads) {
        List<DomainEventMessage<?>> history = new ArrayList<>();
        String prevHash = Envelope.ZERO_HASH;
        for (int seq = 0; seq < payloads.length; seq++) {
            MetaData seal = EventSeal.seal(TENANT, AggregateIds.ACCOUNT_TYPE, AGGREGATE_ID, seq, prevHash,
                    payloads[seq]);
            history.add(new GenericDomainEventMessage<>(AggregateIds.ACCOUNT_TYPE, AGGREGATE_ID, seq, payloads[seq],
                    seal));
            prevHash = (String) seal.get(AuditKeys.HASH);
        }
        return history;
    }

    private static AccountOpened usdAssetOpened(String overdraftLimit) {
        return new AccountOpened(TENANT, CASH, "USD", 2, "ASSET", overdraftLimit);
    }

    private static AccountPosted posted(String transferId, Side side, String amount) {
        return new AccountPosted(TENANT, CASH, transferId, side.wire(), amount, "USD");
    }

    private static AmountReserved reserved(String transferId, Side side, String amount) {
        return new AmountReserved(TENANT, CASH, transferId, side.wire(), amount, "USD");
    }

    /** The fixture's whole stream of "cash" after the when phase: given events, then recorded ones. */
    private List<DomainEventMessage<?>> storedStream() {
        List<DomainEventMessage<?>> stream = new ArrayList<>();
        fixture.getEventStore().readEvents(AGGREGATE_ID).asStream().forEach(stream::add);
        return stream;
    }

    @Nested
    class Open {

        @Test
        void opensAnAccountWithItsCurrencyScaleKindAndLimit() {
            fixture.givenNoPriorActivity()
                    .when(ACME.open(CASH, BHD, AccountKind.LIABILITY, OverdraftLimit.parse("5.250", BHD)))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new AccountOpened(TENANT, CASH, "BHD", 3, "LIABILITY", "5.250"))
                    .expectState(account -> {
                        AccountSnapshot cash = account.snapshot();
                        assertThat(cash.status()).isEqualTo(AccountStatus.OPEN);
                        assertThat(cash.currency()).isEqualTo(BHD);
                        assertThat(cash.kind()).isEqualTo(AccountKind.LIABILITY);
                        assertThat(cash.overdraftLimit()).isEqualTo(new OverdraftLimit(false, 5250));
                        assertThat(cash.balance()).isZero();
                        assertThat(cash.available()).isZero();
                    });
        }

        @Test
        void storesNoOverdraftAsZeroInTheCurrencyScale() {
            fixture.givenNoPriorActivity()
                    .when(ACME.openAsset(CASH, JPY))
                    .expectEvents(new AccountOpened(TENANT, CASH, "JPY", 0, "ASSET", "0"));
        }

        @Test
        void storesAnUnlimitedOverdraftByName() {
            fixture.givenNoPriorActivity()
                    .when(ACME.openSource(CASH, USD))
                    .expectEvents(new AccountOpened(TENANT, CASH, "USD", 2, "EQUITY", OverdraftLimit.UNLIMITED));
        }

        @Test
        void sealsTheOpeningEventAsTheFirstLinkOfTheAccountsChain() {
            fixture.givenNoPriorActivity()
                    .when(ACME.openAsset(CASH, USD),
                            MetaData.with(AuditKeys.ACTOR, "user:alice").and(AuditKeys.CORRELATION_ID, "corr-1"))
                    .expectEvents(usdAssetOpened("0.00"));

            DomainEventMessage<?> opened = storedStream().get(0);
            assertThat(opened.getSequenceNumber()).isZero();
            assertThat(opened.getMetaData())
                    .containsEntry(AuditKeys.TENANT, TENANT)
                    .containsEntry(AuditKeys.EVENT_TYPE, "ledger.AccountOpened")
                    .containsEntry(AuditKeys.ACTOR, "user:alice")
                    .containsEntry(AuditKeys.CORRELATION_ID, "corr-1")
                    .containsEntry(AuditKeys.PREV_HASH, Envelope.ZERO_HASH);
            assertThat(ChainCheck.envelopeOf(opened).hash()).isEqualTo(opened.getMetaData().get(AuditKeys.HASH));
        }

        @Test
        void rejectsOpeningAnAccountIdThatExists() {
            fixture.givenCommands(ACME.openAsset(CASH, USD))
                    .when(ACME.open(CASH, JPY, AccountKind.REVENUE, OverdraftLimit.none()))
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_ID))
                    .expectNoEvents();
        }

        @Test
        void rejectsReopeningAClosedAccount() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.close(CASH))
                    .when(ACME.openAsset(CASH, USD))
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_ID))
                    .expectNoEvents();
        }
    }

    @Nested
    class FreezeAndUnfreeze {

        @Test
        void freezesAnOpenAccount() {
            fixture.givenCommands(ACME.openAsset(CASH, USD))
                    .when(ACME.freeze(CASH))
                    .expectEvents(new AccountFrozen(TENANT, CASH, "test"))
                    .expectState(account -> assertThat(account.snapshot().status()).isEqualTo(AccountStatus.FROZEN));
        }

        @Test
        void freezingAFrozenAccountAppliesNoEvent() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.freeze(CASH))
                    .when(ACME.freeze(CASH))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectState(account -> assertThat(account.snapshot().status()).isEqualTo(AccountStatus.FROZEN));
        }

        @Test
        void unfreezesAFrozenAccount() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.freeze(CASH))
                    .when(ACME.unfreeze(CASH))
                    .expectEvents(new AccountUnfrozen(TENANT, CASH))
                    .expectState(account -> assertThat(account.snapshot().status()).isEqualTo(AccountStatus.OPEN));
        }

        @Test
        void unfreezingAnOpenAccountAppliesNoEvent() {
            fixture.givenCommands(ACME.openAsset(CASH, USD))
                    .when(ACME.unfreeze(CASH))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectState(account -> assertThat(account.snapshot().status()).isEqualTo(AccountStatus.OPEN));
        }

        @Test
        void unfreezingAnAccountFrozenAndUnfrozenBeforeAppliesNoEvent() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.freeze(CASH), ACME.unfreeze(CASH))
                    .when(ACME.unfreeze(CASH))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aFrozenAccountCanBeClosed() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.freeze(CASH))
                    .when(ACME.close(CASH))
                    .expectEvents(new AccountClosed(TENANT, CASH));
        }
    }

    @Nested
    class Close {

        @Test
        void closesAnAccountAtZeroBalanceWithNothingPending() {
            fixture.givenCommands(ACME.openAsset(CASH, USD))
                    .when(ACME.close(CASH))
                    .expectEvents(new AccountClosed(TENANT, CASH))
                    .expectState(account -> assertThat(account.snapshot().status()).isEqualTo(AccountStatus.CLOSED));
        }

        @Test
        void closesAnAccountWhoseMovementsCancelOut() {
            fixture.given(sealed(usdAssetOpened("0.00"), posted("in", Side.DEBIT, "10.00"),
                            posted("out", Side.CREDIT, "10.00")))
                    .when(ACME.close(CASH))
                    .expectEvents(new AccountClosed(TENANT, CASH));
        }

        @Test
        void closesAnAccountOnceItsReservationsAreReleasedOrPostedAway() {
            fixture.given(sealed(usdAssetOpened("0.00"),
                            reserved("hold", Side.DEBIT, "10.00"),
                            new ReservationReleased(TENANT, CASH, "hold", "debit", "10.00", "USD", "voided"),
                            reserved("part", Side.DEBIT, "4.00"),
                            new ReservationPosted(TENANT, CASH, "part", "debit", "4.00", "4.00", "USD"),
                            posted("back", Side.CREDIT, "4.00")))
                    .when(ACME.close(CASH))
                    .expectEvents(new AccountClosed(TENANT, CASH));
        }

        @Test
        void sealsTheClosingEventOntoTheGivenChain() {
            fixture.given(sealed(usdAssetOpened("0.00"), posted("in", Side.DEBIT, "10.00"),
                            posted("out", Side.CREDIT, "10.00")))
                    .when(ACME.close(CASH))
                    .expectEvents(new AccountClosed(TENANT, CASH));

            List<DomainEventMessage<?>> stream = storedStream();
            DomainEventMessage<?> closed = stream.get(3);
            assertThat(closed.getSequenceNumber()).isEqualTo(3);
            assertThat(closed.getMetaData().get(AuditKeys.PREV_HASH))
                    .isEqualTo(stream.get(2).getMetaData().get(AuditKeys.HASH));
            assertThat(ChainCheck.envelopeOf(closed).hash()).isEqualTo(closed.getMetaData().get(AuditKeys.HASH));
        }

        @Test
        void rejectsClosingAnAccountWithABalance() {
            fixture.given(sealed(usdAssetOpened("0.00"), posted("in", Side.DEBIT, "0.01")))
                    .when(ACME.close(CASH))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_NOT_EMPTY))
                    .expectNoEvents();
        }

        @Test
        void rejectsClosingAnAccountWithAnOverdrawnBalance() {
            fixture.given(sealed(usdAssetOpened("5.00"), posted("out", Side.CREDIT, "1.00")))
                    .when(ACME.close(CASH))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_NOT_EMPTY))
                    .expectNoEvents();
        }

        @Test
        void rejectsClosingAnAccountWithAPendingCreditAtZeroBalance() {
            fixture.given(sealed(usdAssetOpened("10.00"), reserved("hold", Side.CREDIT, "10.00")))
                    .when(ACME.close(CASH))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_NOT_EMPTY))
                    .expectNoEvents();
        }

        @Test
        void rejectsClosingAnAccountWithAPendingDebitAtZeroBalance() {
            fixture.given(sealed(usdAssetOpened("0.00"), reserved("hold", Side.DEBIT, "10.00")))
                    .when(ACME.close(CASH))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_NOT_EMPTY))
                    .expectNoEvents();
        }

        @Test
        void closedAccountRejectsFreeze() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.close(CASH))
                    .when(ACME.freeze(CASH))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_CLOSED))
                    .expectNoEvents();
        }

        @Test
        void closedAccountRejectsUnfreeze() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.close(CASH))
                    .when(ACME.unfreeze(CASH))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_CLOSED))
                    .expectNoEvents();
        }

        @Test
        void closedAccountRejectsClose() {
            fixture.givenCommands(ACME.openAsset(CASH, USD), ACME.close(CASH))
                    .when(ACME.close(CASH))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_CLOSED))
                    .expectNoEvents();
        }

        /** As {@link AccountTest}: the API maps Axon's exception to account_not_found. */
        @Test
        void commandsOnAnAccountThatWasNeverOpenedFailWithAggregateNotFound() {
            fixture.givenNoPriorActivity()
                    .when(ACME.close(CASH))
                    .expectException(AggregateNotFoundException.class)
                    .expectNoEvents();
        }
    }

    /** What {@code LedgerCommandHandler} asks of an account before it moves money through it. */
    @Nested
    class NewMovements {

        @Test
        void normalSideMovementsNeedNoFunds() {
            fixture.givenCommands(ACME.openAsset(CASH, USD))
                    .whenInvoking(AGGREGATE_ID, account -> account.checkNewMovement(Side.DEBIT, usd("1000000.00")))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void movementsAgainstTheNormalSideMayReachTheOverdraftLimit() {
            fixture.given(sealed(usdAssetOpened("5.00"), posted("in", Side.DEBIT, "10.00")))
                    .whenInvoking(AGGREGATE_ID, account -> account.checkNewMovement(Side.CREDIT, usd("15.00")))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void rejectsAMovementAgainstTheNormalSidePastTheOverdraftLimit() {
            fixture.given(sealed(usdAssetOpened("5.00"), posted("in", Side.DEBIT, "10.00")))
                    .whenInvoking(AGGREGATE_ID, account -> account.checkNewMovement(Side.CREDIT, usd("15.01")))
                    .expectException(rejectedWith(RejectionCode.INSUFFICIENT_FUNDS));
        }

        @Test
        void pendingReservationsCountAgainstTheFundsAvailable() {
            fixture.given(sealed(usdAssetOpened("0.00"), posted("in", Side.DEBIT, "10.00"),
                            reserved("hold", Side.CREDIT, "7.00")))
                    .whenInvoking(AGGREGATE_ID, account -> account.checkNewMovement(Side.CREDIT, usd("3.01")))
                    .expectException(rejectedWith(RejectionCode.INSUFFICIENT_FUNDS));
        }

        @Test
        void rejectsAMovementInAnotherCurrency() {
            fixture.givenCommands(ACME.openSource(CASH, USD))
                    .whenInvoking(AGGREGATE_ID,
                            account -> account.checkNewMovement(Side.DEBIT, Commands.money("1", JPY)))
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void rejectsAMovementThatWouldOverflowTheBalance() {
            fixture.given(sealed(usdAssetOpened("0.00"),
                            posted("in", Side.DEBIT, Money.format(Long.MAX_VALUE - 1, 2))))
                    .whenInvoking(AGGREGATE_ID, account -> account.checkNewMovement(Side.DEBIT, usd("0.02")))
                    .expectException(rejectedWith(RejectionCode.AMOUNT_INVALID));
        }

        @Test
        void aFrozenAccountTakesNoNewMovement() {
            fixture.givenCommands(ACME.openSource(CASH, USD), ACME.freeze(CASH))
                    .whenInvoking(AGGREGATE_ID, account -> account.checkNewMovement(Side.DEBIT, usd("1.00")))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_FROZEN));
        }

        @Test
        void aFrozenAccountPostsNoReservation() {
            fixture.givenCommands(ACME.openSource(CASH, USD), ACME.freeze(CASH))
                    .whenInvoking(AGGREGATE_ID, Account::checkCanPostReservation)
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_FROZEN));
        }

        @Test
        void aClosedAccountTakesNoNewMovement() {
            fixture.givenCommands(ACME.openSource(CASH, USD), ACME.close(CASH))
                    .whenInvoking(AGGREGATE_ID, account -> account.checkNewMovement(Side.CREDIT, usd("1.00")))
                    .expectException(rejectedWith(RejectionCode.ACCOUNT_CLOSED));
        }

        @Test
        void postingAppliesASealedAccountPosted() {
            fixture.givenCommands(ACME.openSource(CASH, USD))
                    .whenInvoking(AGGREGATE_ID, account -> account.post("t1", Side.CREDIT, usd("2.50")))
                    .expectEvents(new AccountPosted(TENANT, CASH, "t1", "credit", "2.50", "USD"))
                    .expectState(account -> assertThat(account.snapshot().creditsPosted()).isEqualTo(250));
        }
    }
}
