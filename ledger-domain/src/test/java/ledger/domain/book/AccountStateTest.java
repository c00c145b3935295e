package ledger.domain.book;

import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.usd;
import static ledger.domain.Seeded.between;
import static ledger.domain.Seeded.longIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigInteger;
import ledger.domain.Commands;
import ledger.domain.Seeded;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Invariants.InvariantViolation;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The decisions an account's state makes before money moves (status, currency, overdraft limit with
 * reservations counted, overflow), the rule for closing, and the changes, each the next version.
 * Pure: no Axon, no book.
 */
class AccountStateTest {
    private static final String TENANT = "acme";

    /** A USD account of {@code kind} with the given totals (minor units), open, at version 7. */
    private static AccountState usdAccount(AccountKind kind, OverdraftLimit limit, long debitsPosted, long creditsPosted,
                                    long debitsPending, long creditsPending) {
        return new AccountState(TENANT, "cash", USD, kind, limit, AccountStatus.OPEN, debitsPosted, creditsPosted,
                debitsPending, creditsPending, 7);
    }

    private static AccountState asset(String overdraftLimit, long debitsPosted, long creditsPosted,
                                      long debitsPending, long creditsPending) {
        return usdAccount(AccountKind.ASSET, OverdraftLimit.parse(overdraftLimit, USD), debitsPosted, creditsPosted,
                debitsPending, creditsPending);
    }

    private static RejectionCode refusal(Runnable decision) {
        Throwable thrown = catchThrowable(decision::run);
        assertThat(thrown).isInstanceOf(LedgerRejection.class);
        return ((LedgerRejection) thrown).code();
    }

    @Nested
    class Balances {
        @Test
        void anOpenedAccountIsEmptyOpenAndAtVersionZero() {
            AccountState opened = AccountState.opened(TENANT, "cash", USD, AccountKind.ASSET, OverdraftLimit.none());

            assertThat(opened).isEqualTo(new AccountState(TENANT, "cash", USD, AccountKind.ASSET,
                    OverdraftLimit.none(), AccountStatus.OPEN, 0, 0, 0, 0, 0));
            assertThat(opened.balance()).isZero();
            assertThat(opened.available()).isZero();
        }

        @Test
        void theBalanceIsOnTheNormalSideOfTheKind() {
            for (AccountKind kind : AccountKind.values()) {
                AccountState state = usdAccount(kind, OverdraftLimit.none(), 1000, 300, 0, 0);
                assertThat(state.balance()).as("balance of %s", kind)
                        .isEqualTo(kind.normalSide() == Side.DEBIT ? 700 : -700);
            }
        }

        @Test
        void pendingMovementsAwayFromTheNormalSideAreNotAvailable() {
            AccountState asset = asset("0", 1000, 0, 50, 300);
            AccountState liability = usdAccount(AccountKind.LIABILITY, OverdraftLimit.none(), 0, 1000, 300, 50);

            assertThat(asset.balance()).isEqualTo(1000);
            assertThat(asset.available()).isEqualTo(700);
            assertThat(liability.balance()).isEqualTo(1000);
            assertThat(liability.available()).isEqualTo(700);
        }

        @Test
        void theStaticFormulasAreTheInstanceOnes() {
            AccountState state = asset("0", 123, 45, 6, 7);

            assertThat(AccountState.balance(AccountKind.ASSET, 123, 45)).isEqualTo(state.balance());
            assertThat(AccountState.available(AccountKind.ASSET, 123, 45, 6, 7)).isEqualTo(state.available());
        }
    }

    @Nested
    class NewMovements {
        @Test
        void movementsOntoTheNormalSideNeedNoFunds() {
            AccountState empty = asset("0", 0, 0, 0, 0);

            assertThatCode(() -> empty.checkNewMovement(Side.DEBIT, usd("1000000.00"))).doesNotThrowAnyException();
            assertThatCode(() -> usdAccount(AccountKind.LIABILITY, OverdraftLimit.none(), 0, 0, 0, 0)
                    .checkNewMovement(Side.CREDIT, usd("1000000.00"))).doesNotThrowAnyException();
        }

        @Test
        void movementsAwayFromTheNormalSideMayReachTheOverdraftLimitExactly() {
            AccountState state = asset("5.00", 1000, 0, 0, 0);

            assertThatCode(() -> state.checkNewMovement(Side.CREDIT, usd("15.00"))).doesNotThrowAnyException();
            assertThat(refusal(() -> state.checkNewMovement(Side.CREDIT, usd("15.01"))))
                    .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        }

        @Test
        void withoutOverdraftTheWholeBalanceAndNotACentMore() {
            AccountState state = asset("0", 1000, 0, 0, 0);

            assertThatCode(() -> state.checkNewMovement(Side.CREDIT, usd("10.00"))).doesNotThrowAnyException();
            assertThat(refusal(() -> state.checkNewMovement(Side.CREDIT, usd("10.01"))))
                    .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        }

        @Test
        void theLimitAppliesToTheDebitSideOfACreditNormalAccount() {
            AccountState payable = usdAccount(AccountKind.LIABILITY, OverdraftLimit.none(), 0, 500, 0, 0);

            assertThatCode(() -> payable.checkNewMovement(Side.DEBIT, usd("5.00"))).doesNotThrowAnyException();
            assertThat(refusal(() -> payable.checkNewMovement(Side.DEBIT, usd("5.01"))))
                    .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        }

        @Test
        void reservationsAgainstTheAccountCountAgainstItsFunds() {
            AccountState state = asset("0", 1000, 0, 0, 700);

            assertThatCode(() -> state.checkNewMovement(Side.CREDIT, usd("3.00"))).doesNotThrowAnyException();
            assertThat(refusal(() -> state.checkNewMovement(Side.CREDIT, usd("3.01"))))
                    .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        }

        @Test
        void incomingPendingFundsAreNotAvailableBeforeTheyArePosted() {
            AccountState state = asset("0", 1000, 0, 5000, 0);

            assertThat(refusal(() -> state.checkNewMovement(Side.CREDIT, usd("10.01"))))
                    .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        }

        @Test
        void anUnlimitedOverdraftNeverRunsOutOfFunds() {
            AccountState nostro = usdAccount(AccountKind.ASSET, OverdraftLimit.unlimitedLimit(), 0, 5 * Money.AMOUNT_MINOR_MAX,
                    0, Money.AMOUNT_MINOR_MAX);

            assertThatCode(() -> nostro.checkNewMovement(Side.CREDIT, new Money(Money.AMOUNT_MINOR_MAX, USD)))
                    .doesNotThrowAnyException();
        }

        @Test
        void refusesAMovementInAnotherCurrency() {
            AccountState state = usdAccount(AccountKind.EQUITY, OverdraftLimit.unlimitedLimit(), 0, 0, 0, 0);

            assertThat(refusal(() -> state.checkNewMovement(Side.DEBIT, Commands.money("1", JPY))))
                    .isEqualTo(RejectionCode.CURRENCY_MISMATCH);
        }

        @Test
        void refusesAMovementThatWouldOverflowTheBalanceOnEitherSide() {
            AccountState debits = asset("0", Long.MAX_VALUE - 1, 0, 0, 0);
            AccountState credits = usdAccount(AccountKind.ASSET, OverdraftLimit.unlimitedLimit(), 0, Long.MAX_VALUE - 1, 0, 0);
            AccountState pending = asset("0", Long.MAX_VALUE - 10, 0, 9, 0);

            assertThat(refusal(() -> debits.checkNewMovement(Side.DEBIT, usd("0.02"))))
                    .isEqualTo(RejectionCode.AMOUNT_INVALID);
            assertThat(refusal(() -> credits.checkNewMovement(Side.CREDIT, usd("0.02"))))
                    .isEqualTo(RejectionCode.AMOUNT_INVALID);
            assertThat(refusal(() -> pending.checkNewMovement(Side.DEBIT, usd("0.02"))))
                    .as("posted and pending together").isEqualTo(RejectionCode.AMOUNT_INVALID);
            assertThatCode(() -> debits.checkNewMovement(Side.DEBIT, usd("0.01"))).doesNotThrowAnyException();
        }

        @Test
        void aFrozenAccountTakesNoNewMovementOnEitherSide() {
            AccountState frozen = asset("0", 1000, 0, 0, 0).withStatus(AccountStatus.FROZEN);

            assertThat(refusal(() -> frozen.checkNewMovement(Side.DEBIT, usd("1.00"))))
                    .isEqualTo(RejectionCode.ACCOUNT_FROZEN);
            assertThat(refusal(() -> frozen.checkNewMovement(Side.CREDIT, usd("1.00"))))
                    .isEqualTo(RejectionCode.ACCOUNT_FROZEN);
        }

        @Test
        void aClosedAccountTakesNoNewMovementWhateverElseIsWrong() {
            AccountState closed = asset("0", 0, 0, 0, 0).withStatus(AccountStatus.CLOSED);

            assertThat(refusal(() -> closed.checkNewMovement(Side.CREDIT, usd("1.00"))))
                    .isEqualTo(RejectionCode.ACCOUNT_CLOSED);
            assertThat(refusal(() -> closed.checkNewMovement(Side.DEBIT, Commands.money("1", JPY))))
                    .isEqualTo(RejectionCode.ACCOUNT_CLOSED);
        }

        @Test
        void onlyAnOpenAccountPostsAReservation() {
            AccountState open = asset("0", 0, 0, 100, 0);

            assertThatCode(open::checkCanPostReservation).doesNotThrowAnyException();
            assertThat(refusal(open.withStatus(AccountStatus.FROZEN)::checkCanPostReservation))
                    .isEqualTo(RejectionCode.ACCOUNT_FROZEN);
            assertThat(refusal(open.withStatus(AccountStatus.CLOSED)::checkCanPostReservation))
                    .isEqualTo(RejectionCode.ACCOUNT_CLOSED);
        }

        /**
         * The rule, written with exact integers: closed, frozen, another currency, posted plus
         * pending plus the amount beyond a long on its side, or, away from the normal side, the
         * available balance less the amount below the overdraft limit; else accepted.
         */
        @Test
        void checkNewMovementIsTheRuleOnAnyReachableState() {
            Seeded.forAll("checkNewMovement is the rule", 5_000, AccountStateTest::movement, sample -> {
                RejectionCode expected = rule(sample);
                Throwable thrown = catchThrowable(() -> sample.state().checkNewMovement(sample.side(), sample.amount()));
                if (expected == null) {
                    assertThat(thrown).isNull();
                } else {
                    assertThat(thrown).isInstanceOf(LedgerRejection.class);
                    assertThat(((LedgerRejection) thrown).code()).isEqualTo(expected);
                }
            });
        }
    }

    record Movement(AccountState state, Side side, Money amount) {
    }

    /**
     * A state every sequence of accepted movements can reach: per side, posted plus pending stays
     * within a long (the check keeps it so); the amount is one a command may carry.
     */
    static Movement movement(java.util.SplittableRandom r) {
        AccountKind kind = AccountKind.values()[r.nextInt(AccountKind.values().length)];
        OverdraftLimit limit = switch (r.nextInt(3)) {
            case 0 -> OverdraftLimit.none();
            case 1 -> new OverdraftLimit(false, longIn(r, 1, Money.AMOUNT_MINOR_MAX));
            default -> OverdraftLimit.unlimitedLimit();
        };
        long bound = r.nextInt(4) == 0 ? Long.MAX_VALUE - 1 : 1_000_000;
        long debitsPosted = longIn(r, 0, bound);
        long debitsPending = longIn(r, 0, bound - debitsPosted);
        long creditsPosted = longIn(r, 0, bound);
        long creditsPending = longIn(r, 0, bound - creditsPosted);
        AccountStatus status = r.nextInt(8) == 0 ? AccountStatus.values()[r.nextInt(3)] : AccountStatus.OPEN;
        AccountState state = new AccountState(TENANT, "cash", USD, kind, limit, status, debitsPosted, creditsPosted,
                debitsPending, creditsPending, between(r, 0, 100));
        CurrencyCode currency = r.nextInt(20) == 0 ? JPY : USD;
        return new Movement(state, r.nextBoolean() ? Side.DEBIT : Side.CREDIT,
                new Money(longIn(r, 1, Money.AMOUNT_MINOR_MAX), currency));
    }

    private static RejectionCode rule(Movement m) {
        AccountState s = m.state();
        if (s.status() == AccountStatus.CLOSED) {
            return RejectionCode.ACCOUNT_CLOSED;
        }
        if (s.status() == AccountStatus.FROZEN) {
            return RejectionCode.ACCOUNT_FROZEN;
        }
        if (!m.amount().currency().equals(s.currency())) {
            return RejectionCode.CURRENCY_MISMATCH;
        }
        BigInteger amount = BigInteger.valueOf(m.amount().minor());
        BigInteger sameSide = BigInteger.valueOf(m.side() == Side.DEBIT ? s.debitsPosted() : s.creditsPosted())
                .add(BigInteger.valueOf(m.side() == Side.DEBIT ? s.debitsPending() : s.creditsPending()));
        if (sameSide.add(amount).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
            return RejectionCode.AMOUNT_INVALID;
        }
        if (m.side() == s.kind().normalSide() || s.overdraftLimit().unlimited()) {
            return null;
        }
        boolean debitNormal = s.kind().normalSide() == Side.DEBIT;
        BigInteger available = BigInteger.valueOf(debitNormal ? s.debitsPosted() : s.creditsPosted())
                .subtract(BigInteger.valueOf(debitNormal ? s.creditsPosted() : s.debitsPosted()))
                .subtract(BigInteger.valueOf(debitNormal ? s.creditsPending() : s.debitsPending()));
        return available.subtract(amount).compareTo(BigInteger.valueOf(-s.overdraftLimit().minor())) < 0
                ? RejectionCode.INSUFFICIENT_FUNDS : null;
    }

    @Nested
    class Closing {
        @Test
        void closesAtZeroBalanceWithNothingPending() {
            assertThatCode(() -> asset("0", 0, 0, 0, 0).checkCanClose()).doesNotThrowAnyException();
        }

        @Test
        void closesAnAccountWhoseMovementsCancelOut() {
            assertThatCode(() -> asset("0", 1000, 1000, 0, 0).checkCanClose()).doesNotThrowAnyException();
        }

        @Test
        void closesAFrozenAccount() {
            assertThatCode(() -> asset("0", 0, 0, 0, 0).withStatus(AccountStatus.FROZEN).checkCanClose())
                    .doesNotThrowAnyException();
        }

        @Test
        void refusesABalanceAnOverdrawnBalanceOrAnythingPending() {
            assertThat(refusal(() -> asset("0", 1, 0, 0, 0).checkCanClose())).isEqualTo(RejectionCode.ACCOUNT_NOT_EMPTY);
            assertThat(refusal(() -> asset("5.00", 0, 100, 0, 0).checkCanClose()))
                    .isEqualTo(RejectionCode.ACCOUNT_NOT_EMPTY);
            assertThat(refusal(() -> asset("10.00", 0, 0, 0, 1000).checkCanClose()))
                    .as("a pending credit at zero balance").isEqualTo(RejectionCode.ACCOUNT_NOT_EMPTY);
            assertThat(refusal(() -> asset("0", 0, 0, 1000, 0).checkCanClose()))
                    .as("a pending debit at zero balance").isEqualTo(RejectionCode.ACCOUNT_NOT_EMPTY);
        }

        @Test
        void aClosedAccountIsClosedOnce() {
            AccountState closed = asset("0", 0, 0, 0, 0).withStatus(AccountStatus.CLOSED);

            assertThat(refusal(closed::checkCanClose)).isEqualTo(RejectionCode.ACCOUNT_CLOSED);
            assertThat(refusal(closed::requireNotClosed)).isEqualTo(RejectionCode.ACCOUNT_CLOSED);
            assertThatCode(() -> closed.withStatus(AccountStatus.OPEN).requireNotClosed()).doesNotThrowAnyException();
        }
    }

    @Nested
    class Changes {
        private final AccountState before = asset("0", 1000, 200, 30, 40);

        @Test
        void postingAddsToOneSideAsTheNextVersion() {
            assertThat(before.posted(Side.DEBIT, 5)).isEqualTo(at(asset("0", 1005, 200, 30, 40), 8));
            assertThat(before.posted(Side.CREDIT, 5)).isEqualTo(at(asset("0", 1000, 205, 30, 40), 8));
            assertThat(before).as("unchanged").isEqualTo(asset("0", 1000, 200, 30, 40));
        }

        @Test
        void reservingAddsToOneSidesPendingAsTheNextVersion() {
            assertThat(before.reserved(Side.DEBIT, 5)).isEqualTo(at(asset("0", 1000, 200, 35, 40), 8));
            assertThat(before.reserved(Side.CREDIT, 5)).isEqualTo(at(asset("0", 1000, 200, 30, 45), 8));
        }

        @Test
        void endingAReservationReleasesItAndPostsThePartPosted() {
            assertThat(before.reservationEnded(Side.DEBIT, 30, 30)).isEqualTo(at(asset("0", 1030, 200, 0, 40), 8));
            assertThat(before.reservationEnded(Side.CREDIT, 40, 15)).isEqualTo(at(asset("0", 1000, 215, 30, 0), 8));
            assertThat(before.reservationEnded(Side.CREDIT, 25, 0)).as("a release").isEqualTo(
                    at(asset("0", 1000, 200, 30, 15), 8));
        }

        @Test
        void aStatusChangeIsTheNextVersionToo() {
            AccountState frozen = before.withStatus(AccountStatus.FROZEN);

            assertThat(frozen.status()).isEqualTo(AccountStatus.FROZEN);
            assertThat(frozen.version()).isEqualTo(8);
            assertThat(frozen.withStatus(AccountStatus.OPEN)).isEqualTo(at(before, 9));
        }

        @Test
        void everyChangeMovesAPositiveAmountWithinWhatIsHeld() {
            assertThatThrownBy(() -> before.posted(Side.DEBIT, 0)).isInstanceOf(InvariantViolation.class);
            assertThatThrownBy(() -> before.reserved(Side.CREDIT, 0)).isInstanceOf(InvariantViolation.class);
            assertThatThrownBy(() -> before.posted(Side.DEBIT, -1)).isInstanceOf(InvariantViolation.class);
            assertThatThrownBy(() -> before.reservationEnded(Side.DEBIT, 30, 31)).as("posting more than reserved")
                    .isInstanceOf(InvariantViolation.class);
            assertThatThrownBy(() -> before.reservationEnded(Side.DEBIT, 31, 0)).as("releasing more than pending")
                    .isInstanceOf(InvariantViolation.class);
            assertThatThrownBy(() -> before.reservationEnded(Side.DEBIT, 30, -1))
                    .isInstanceOf(InvariantViolation.class);
        }

        @Test
        void aChangeThatWouldOverflowFailsLoudlyNotSilently() {
            AccountState full = asset("0", Long.MAX_VALUE, 0, 0, 0);

            assertThatThrownBy(() -> full.posted(Side.DEBIT, 1)).isInstanceOf(ArithmeticException.class);
        }
    }

    /** Test shorthand: the same state at another version. */
    private static AccountState at(AccountState state, long version) {
        return new AccountState(state.tenant(), state.accountId(), state.currency(), state.kind(),
                state.overdraftLimit(), state.status(), state.debitsPosted(), state.creditsPosted(),
                state.debitsPending(), state.creditsPending(), version);
    }
}
