package ledger.domain.transfer;

import static ledger.domain.Commands.BHD;
import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.credit;
import static ledger.domain.Commands.debit;
import static ledger.domain.Commands.money;
import static ledger.domain.Commands.usd;
import static ledger.domain.LedgerHarness.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.book.AccountState;
import ledger.domain.book.BookEntry;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TransferId;
import ledger.domain.transfer.LedgerCommandHandler.ChainRejection;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Transfers, journal entries and linked chains through {@link LedgerCommandHandler}: each is one
 * event of its Transfer aggregate and one book entry per account it moves, carrying the account's
 * next state; every rejection is proven to change nothing, neither events nor book (see
 * {@link LedgerHarness#reject}).
 */
class LedgerCommandHandlerTest {
    private static final String TENANT = "acme";
    private final Commands acme = Commands.forTenant(TENANT);
    private LedgerHarness ledger;

    @BeforeEach
    void start() {
        ledger = LedgerHarness.create();
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openSource("equity-jpy", JPY));
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.openAsset("bank", USD));
        ledger.send(acme.openAsset("cash-jpy", JPY));
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private AccountState account(String id) {
        return ledger.account(TENANT, id);
    }

    private static AccountState state(String id, AccountKind kind, OverdraftLimit limit, long debitsPosted,
                                      long creditsPosted, long debitsPending, long creditsPending, long version) {
        return new AccountState(TENANT, id, USD, kind, limit, AccountStatus.OPEN, debitsPosted, creditsPosted,
                debitsPending, creditsPending, version);
    }

    /** Puts {@code amount} into asset account {@code id} from the unlimited equity account. */
    private void fund(String id, String amount) {
        ledger.send(acme.transfer("fund-" + id + "-" + amount, id, "equity", usd(amount)));
    }

    @Test
    void postsATransferAsOneTransferEventAndOneBookEntryPerAccount() {
        long before = ledger.eventCount();
        int entriesBefore = ledger.entryCount();

        TransferSnapshot result = ledger.send(acme.transfer("t1", "cash", "equity", usd("25.50")));

        List<Leg> legs = List.of(new Leg("cash", "debit", "25.50", "USD"), new Leg("equity", "credit", "25.50", "USD"));
        assertThat(ledger.payloadsSince(before)).containsExactly(
                new TransferPosted(TENANT, "t1", Transfer.KIND_TRANSFER, legs, Map.of()));
        assertThat(ledger.entriesSince(entriesBefore)).containsExactly(
                new BookEntry(state("cash", AccountKind.ASSET, OverdraftLimit.none(), 2550, 0, 0, 0, 1),
                        BookEntry.POSTED, "t1", Side.DEBIT, 2550, START),
                new BookEntry(state("equity", AccountKind.EQUITY, OverdraftLimit.unlimitedLimit(), 0, 2550, 0, 0, 1),
                        BookEntry.POSTED, "t1", Side.CREDIT, 2550, START));
        assertThat(result).isEqualTo(new TransferSnapshot(TENANT, "t1", Transfer.KIND_TRANSFER, TransferStatus.POSTED,
                legs, null, null, Map.of(), "2030-01-01T00:00:00.000000Z"));
        assertThat(ledger.transfer(TENANT, "t1")).isEqualTo(result);
        assertThat(ledger.accountEvents(TENANT, "cash")).as("the account's own chain").hasSize(1);
        assertThat(account("cash").balance()).isEqualTo(2550);
        assertThat(account("equity").balance()).isEqualTo(2550);
    }

    @Test
    void recordsTheBookEntriesAtTheTimeOfTheTransferEvent() {
        ledger.advanceClockOnly(Duration.ofNanos(1_234_567_891));
        int entriesBefore = ledger.entryCount();

        ledger.send(acme.transfer("t1", "cash", "equity", usd("1.00")));

        String occurredAt = (String) ledger.transferEvents(TENANT, "t1").get(0).getMetaData()
                .get(AuditKeys.OCCURRED_AT);
        assertThat(occurredAt).isEqualTo("2030-01-01T00:00:01.234567Z");
        assertThat(ledger.entriesSince(entriesBefore)).extracting(BookEntry::occurredAt)
                .containsOnly(Instant.parse(occurredAt));
    }

    @Test
    void keepsTheTransferMetadata() {
        CreateTransfer command = new CreateTransfer(acme.tenant(), TransferId.of("t1"), AccountId.of("cash"),
                AccountId.of("equity"), usd("1.00"), false, null, Map.of("order", "A-17"));

        TransferSnapshot result = ledger.send(command);

        assertThat(result.metadata()).containsExactly(Map.entry("order", "A-17"));
    }

    @Nested
    class InsufficientFunds {
        @Test
        void rejectsTransferWhenFundsInsufficient() {
            fund("cash", "10.00");

            ledger.reject(acme.transfer("t1", "bank", "cash", usd("10.01")), RejectionCode.INSUFFICIENT_FUNDS);
            assertThat(account("cash").balance()).isEqualTo(1000);
        }

        @Test
        void allowsSpendingTheWholeBalanceWithoutOverdraft() {
            fund("cash", "10.00");

            ledger.send(acme.transfer("t1", "bank", "cash", usd("10.00")));

            assertThat(account("cash").balance()).isZero();
            ledger.reject(acme.transfer("t2", "bank", "cash", usd("0.01")), RejectionCode.INSUFFICIENT_FUNDS);
        }

        @Test
        void rejectsAnyDebitOfTheNonNormalSideOfAnEmptyAccount() {
            ledger.reject(acme.transfer("t1", "bank", "cash", usd("0.01")), RejectionCode.INSUFFICIENT_FUNDS);
        }

        @Test
        void appliesTheLimitToCreditNormalAccountsOnTheirDebitSide() {
            ledger.send(acme.open("payable", USD, AccountKind.LIABILITY, OverdraftLimit.none()));
            ledger.send(acme.transfer("t1", "cash", "payable", usd("5.00")));

            ledger.reject(acme.transfer("t2", "payable", "cash", usd("5.01")), RejectionCode.INSUFFICIENT_FUNDS);
            ledger.send(acme.transfer("t3", "payable", "cash", usd("5.00")));
            assertThat(account("payable").balance()).isZero();
        }

        @Test
        void allowsOverdraftExactlyToItsLimit() {
            ledger.send(acme.open("card", USD, AccountKind.ASSET, OverdraftLimit.parse("50.00", USD)));

            ledger.send(acme.transfer("t1", "bank", "card", usd("50.00")));

            assertThat(account("card").available()).isEqualTo(-5000);
        }

        @Test
        void rejectsOverdraftOneMinorUnitBeyondItsLimit() {
            ledger.send(acme.open("card", USD, AccountKind.ASSET, OverdraftLimit.parse("50.00", USD)));

            ledger.reject(acme.transfer("t1", "bank", "card", usd("50.01")), RejectionCode.INSUFFICIENT_FUNDS);
            ledger.send(acme.transfer("t2", "bank", "card", usd("49.99")));
            ledger.reject(acme.transfer("t3", "bank", "card", usd("0.02")), RejectionCode.INSUFFICIENT_FUNDS);
            ledger.send(acme.transfer("t4", "bank", "card", usd("0.01")));
            assertThat(account("card").available()).isEqualTo(-5000);
        }

        @Test
        void overdraftLimitInAZeroDecimalCurrencyCountsWholeYen() {
            ledger.send(acme.open("card-jpy", JPY, AccountKind.ASSET, OverdraftLimit.parse("1000", JPY)));

            ledger.reject(acme.transfer("t1", "cash-jpy", "card-jpy", money("1001", JPY)),
                    RejectionCode.INSUFFICIENT_FUNDS);
            ledger.send(acme.transfer("t2", "cash-jpy", "card-jpy", money("1000", JPY)));
        }

        @Test
        void unlimitedOverdraftNeverRunsOutOfFunds() {
            ledger.send(acme.open("nostro", USD, AccountKind.ASSET, OverdraftLimit.unlimitedLimit()));
            Money max = new Money(Money.AMOUNT_MINOR_MAX, USD);
            for (int i = 0; i < 5; i++) {
                ledger.send(acme.transfer("t" + i, "cash", "nostro", max));
            }

            assertThat(account("nostro").balance()).isEqualTo(-5 * Money.AMOUNT_MINOR_MAX);
            assertThat(account("nostro").available()).isEqualTo(-5 * Money.AMOUNT_MINOR_MAX);
        }

        @Test
        void movingMoneyIntoTheNormalSideNeedsNoFunds() {
            ledger.send(acme.open("payable", USD, AccountKind.LIABILITY, OverdraftLimit.none()));

            ledger.send(acme.transfer("t1", "cash", "payable", usd("99.99")));

            assertThat(account("cash").available()).isEqualTo(9999);
            assertThat(account("payable").available()).isEqualTo(9999);
        }

        @Test
        void checksEveryLegOfAnEntryBeforeAnyIsPosted() {
            fund("cash", "10.00");

            ledger.reject(acme.entry("e1", debit("bank", "15.00"), credit("equity", "4.99"),
                    credit("cash", "10.01")), RejectionCode.INSUFFICIENT_FUNDS);
            assertThat(account("bank").balance()).isZero();
            assertThat(account("bank").version()).isZero();
        }
    }

    @Nested
    class Currencies {
        @Test
        void rejectsATransferInAnotherCurrencyThanTheAccounts() {
            ledger.reject(acme.transfer("t1", "cash", "equity", money("100", JPY)), RejectionCode.CURRENCY_MISMATCH);
        }

        @Test
        void rejectsATransferBetweenAccountsOfDifferentCurrencies() {
            ledger.reject(acme.transfer("t1", "cash-jpy", "equity", usd("1.00")), RejectionCode.CURRENCY_MISMATCH);
        }

        @Test
        void readsEachLegInItsAccountsCurrency() {
            ledger.reject(acme.entry("e1", debit("cash-jpy", "100"), credit("equity", "100")),
                    RejectionCode.UNBALANCED_ENTRY);
        }

        @Test
        void rejectsALegWithMoreDecimalsThanItsAccountsCurrencyHas() {
            ledger.reject(acme.entry("e1", debit("cash", "1.001"), credit("equity", "1.001")),
                    RejectionCode.AMOUNT_INVALID);
            ledger.reject(acme.entry("e2", debit("cash-jpy", "1.5"), credit("equity-jpy", "1.5")),
                    RejectionCode.AMOUNT_INVALID);
            ledger.reject(acme.entry("e3", debit("cash-jpy", "1.0"), credit("equity-jpy", "1.0")),
                    RejectionCode.AMOUNT_INVALID);
            ledger.send(acme.entry("e4", debit("cash-jpy", "1"), credit("equity-jpy", "1")));
            assertThat(account("cash-jpy").balance()).isEqualTo(1);
        }

        @Test
        void postsAMultiCurrencyEntryBalancedPerCurrencyAsOneEvent() {
            long before = ledger.eventCount();
            int entriesBefore = ledger.entryCount();

            TransferSnapshot result = ledger.send(acme.entry("fx-1",
                    debit("cash-jpy", "15000"), credit("equity-jpy", "15000"),
                    debit("cash", "100.00"), credit("equity", "100.00")));

            assertThat(result.kind()).isEqualTo(Transfer.KIND_ENTRY);
            assertThat(ledger.payloadsSince(before)).containsExactly(new TransferPosted(TENANT, "fx-1",
                    Transfer.KIND_ENTRY, List.of(new Leg("cash-jpy", "debit", "15000", "JPY"),
                    new Leg("equity-jpy", "credit", "15000", "JPY"), new Leg("cash", "debit", "100.00", "USD"),
                    new Leg("equity", "credit", "100.00", "USD")), Map.of()));
            assertThat(result.legs()).isEqualTo(((TransferPosted) ledger.payloadsSince(before).get(0)).legs());
            assertThat(ledger.entriesSince(entriesBefore))
                    .extracting(e -> e.after().accountId() + " " + e.type() + " " + e.side() + " " + e.amount())
                    .containsExactly("cash-jpy posted DEBIT 15000", "equity-jpy posted CREDIT 15000",
                            "cash posted DEBIT 10000", "equity posted CREDIT 10000");
            assertThat(account("cash-jpy").balance()).isEqualTo(15000);
            assertThat(account("cash").balance()).isEqualTo(10000);
        }

        @Test
        void rejectsAnEntryBalancedInTotalButNotPerCurrency() {
            ledger.reject(acme.entry("fx-1",
                    debit("cash-jpy", "100"), credit("equity-jpy", "99"),
                    debit("cash", "1.00"), credit("equity", "1.01")), RejectionCode.UNBALANCED_ENTRY);
        }

        @Test
        void keepsEachCurrencysScaleInTheEvents() {
            ledger.send(acme.openSource("equity-bhd", BHD));
            ledger.send(acme.openAsset("cash-bhd", BHD));

            TransferSnapshot result = ledger.send(acme.transfer("t1", "cash-bhd", "equity-bhd", money("1.5", BHD)));

            assertThat(result.legs()).extracting(Leg::amount).containsOnly("1.500");
        }
    }

    @Nested
    class Entries {
        @Test
        void postsAnEntryWithOneDebitAndTwoCredits() {
            ledger.send(acme.open("fees", USD, AccountKind.REVENUE, OverdraftLimit.none()));

            ledger.send(acme.entry("e1", debit("cash", "10.00"), credit("equity", "9.70"),
                    credit("fees", "0.30")));

            assertThat(account("cash").balance()).isEqualTo(1000);
            assertThat(account("fees").balance()).isEqualTo(30);
            assertThat(account("equity").balance()).isEqualTo(970);
        }

        @Test
        void rejectsAnUnbalancedEntry() {
            ledger.reject(acme.entry("e1", debit("cash", "10.00"), credit("equity", "9.99")),
                    RejectionCode.UNBALANCED_ENTRY);
        }

        @Test
        void rejectsAnEntryWithOneLeg() {
            ledger.reject(acme.entry("e1", debit("cash", "10.00")), RejectionCode.VALIDATION_FAILED);
            ledger.reject(acme.entry("e2", List.of()), RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void rejectsAnEntryWithMoreThanLegsMaxLegs() {
            List<EntryLeg> legs = new ArrayList<>();
            for (int i = 0; i <= TransferCommands.LEGS_MAX; i++) {
                legs.add(i % 2 == 0 ? debit("a" + i, "1.00") : credit("a" + i, "1.00"));
            }
            legs.set(legs.size() - 1, credit("a-last", "1.00"));
            assertThat(legs).hasSize(TransferCommands.LEGS_MAX + 1);

            ledger.reject(acme.entry("e1", legs), RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void acceptsAnEntryWithExactlyLegsMaxLegs() {
            List<EntryLeg> legs = new ArrayList<>();
            for (int i = 0; i < TransferCommands.LEGS_MAX; i++) {
                String id = "a" + i;
                ledger.send(acme.open(id, USD, AccountKind.ASSET, OverdraftLimit.unlimitedLimit()));
                legs.add(i % 2 == 0 ? debit(id, "1.00") : credit(id, "1.00"));
            }

            int entriesBefore = ledger.entryCount();

            TransferSnapshot result = ledger.send(acme.entry("e1", legs));

            assertThat(result.legs()).hasSize(TransferCommands.LEGS_MAX);
            assertThat(ledger.transferEvents(TENANT, "e1")).hasSize(1);
            assertThat(ledger.entriesSince(entriesBefore)).hasSize(TransferCommands.LEGS_MAX)
                    .allSatisfy(e -> assertThat(e.transferId()).isEqualTo("e1"));
        }

        @Test
        void rejectsAnAccountThatAppearsInTwoLegs() {
            ledger.reject(acme.entry("e1", debit("cash", "5.00"), credit("equity", "10.00"),
                    debit("cash", "5.00")), RejectionCode.VALIDATION_FAILED);
            ledger.reject(acme.entry("e2", debit("cash", "5.00"), credit("cash", "5.00")),
                    RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void rejectsAnEntryWithAZeroLeg() {
            ledger.reject(acme.entry("e1", debit("cash", "5.00"), credit("equity", "5.00"),
                    debit("bank", "0.00")), RejectionCode.AMOUNT_INVALID);
        }

        @Test
        void rejectsAnEntryBalancedByANegativeLeg() {
            ledger.reject(acme.entry("e1", debit("cash", "5.00"), debit("bank", "-5.00")),
                    RejectionCode.AMOUNT_INVALID);
        }

        @Test
        void rejectsLegAmountsThatAreNotPlainDecimalsWithinTheMaximum() {
            for (String amount : new String[] {"1e3", "1,00", " 1.00", "+1.00", ".5", "01.00", "", null,
                    "10000000000000.00"}) {
                ledger.reject(acme.entry("e1", debit("cash", amount), credit("equity", amount)),
                        RejectionCode.AMOUNT_INVALID);
            }
            ledger.send(acme.entry("e1", debit("cash", "9999999999999.99"), credit("equity", "9999999999999.99")));
        }
    }

    @Nested
    class Accounts {
        @Test
        void rejectsATransferFromAnAccountThatDoesNotExist() {
            ledger.reject(acme.transfer("t1", "ghost", "equity", usd("1.00")), RejectionCode.ACCOUNT_NOT_FOUND);
        }

        @Test
        void rejectsATransferToAnAccountThatDoesNotExist() {
            ledger.reject(acme.transfer("t1", "cash", "ghost", usd("1.00")), RejectionCode.ACCOUNT_NOT_FOUND);
        }

        @Test
        void rejectsAnEntryWithALegOnAnAccountThatDoesNotExist() {
            ledger.reject(acme.entry("e1", debit("cash", "2.00"), credit("equity", "1.00"),
                    credit("ghost", "1.00")), RejectionCode.ACCOUNT_NOT_FOUND);
        }

        @Test
        void rejectsAnAccountOfAnotherTenant() {
            Commands globex = Commands.forTenant("globex");
            ledger.send(globex.openSource("equity", USD));

            ledger.reject(globex.transfer("t1", "cash", "equity", usd("1.00")), RejectionCode.ACCOUNT_NOT_FOUND);
        }

        @Test
        void rejectsDebitingAFrozenAccount() {
            ledger.send(acme.freeze("cash"));

            ledger.reject(acme.transfer("t1", "cash", "equity", usd("1.00")), RejectionCode.ACCOUNT_FROZEN);
        }

        @Test
        void rejectsCreditingAFrozenAccount() {
            fund("cash", "5.00");
            ledger.send(acme.freeze("cash"));

            ledger.reject(acme.transfer("t1", "bank", "cash", usd("1.00")), RejectionCode.ACCOUNT_FROZEN);
        }

        @Test
        void acceptsMovementsAgainAfterUnfreeze() {
            ledger.send(acme.freeze("cash"));
            ledger.send(acme.unfreeze("cash"));

            ledger.send(acme.transfer("t1", "cash", "equity", usd("1.00")));

            assertThat(account("cash").balance()).isEqualTo(100);
        }

        @Test
        void rejectsAFrozenAccountInAnyLegOfAnEntry() {
            ledger.send(acme.freeze("bank"));

            ledger.reject(acme.entry("e1", debit("cash", "1.00"), debit("bank", "1.00"),
                    credit("equity", "2.00")), RejectionCode.ACCOUNT_FROZEN);
            assertThat(account("cash").balance()).isZero();
        }

        @Test
        void rejectsDebitingOrCreditingAClosedAccount() {
            ledger.send(acme.close("bank"));

            ledger.reject(acme.transfer("t1", "bank", "equity", usd("1.00")), RejectionCode.ACCOUNT_CLOSED);
            ledger.reject(acme.transfer("t2", "equity", "bank", usd("1.00")), RejectionCode.ACCOUNT_CLOSED);
        }
    }

    @Nested
    class Amounts {
        @Test
        void rejectsAZeroAmount() {
            ledger.reject(acme.transfer("t1", "cash", "equity", Money.zero(USD)), RejectionCode.AMOUNT_INVALID);
        }

        /** A negative amount would turn the posting around and skip the other side's overdraft check. */
        @Test
        void rejectsANegativeAmount() {
            ledger.reject(acme.transfer("t1", "equity", "cash", new Money(-500, USD)), RejectionCode.AMOUNT_INVALID);
            ledger.reject(acme.transfer("t2", "cash", "equity", new Money(-1, USD)), RejectionCode.AMOUNT_INVALID);
            assertThat(account("cash").balance()).isZero();
        }

        @Test
        void rejectsAnAmountAboveTheMaximum() {
            ledger.reject(acme.transfer("t1", "cash", "equity", new Money(Money.AMOUNT_MINOR_MAX + 1, USD)),
                    RejectionCode.AMOUNT_INVALID);
            ledger.send(acme.transfer("t2", "cash", "equity", new Money(Money.AMOUNT_MINOR_MAX, USD)));
        }

        @Test
        void rejectsAMissingAmount() {
            ledger.reject(acme.transfer("t1", "cash", "equity", null), RejectionCode.AMOUNT_INVALID);
        }
    }

    @Nested
    class Ids {
        @Test
        void rejectsATransferIdThatExists() {
            ledger.send(acme.transfer("t1", "cash", "equity", usd("1.00")));

            ledger.reject(acme.transfer("t1", "cash", "equity", usd("1.00")), RejectionCode.DUPLICATE_ID);
            ledger.reject(acme.pending("t1", "cash", "equity", usd("1.00"), null), RejectionCode.DUPLICATE_ID);
        }

        @Test
        void transfersAndEntriesShareOneIdSpace() {
            ledger.send(acme.transfer("t1", "cash", "equity", usd("1.00")));
            ledger.send(acme.entry("e1", debit("cash", "1.00"), credit("equity", "1.00")));

            ledger.reject(acme.entry("t1", debit("cash", "1.00"), credit("equity", "1.00")),
                    RejectionCode.DUPLICATE_ID);
            ledger.reject(acme.transfer("e1", "cash", "equity", usd("1.00")), RejectionCode.DUPLICATE_ID);
        }

        @Test
        void aPendingTransferIdCannotBeReused() {
            ledger.send(acme.pending("p1", "cash", "equity", usd("1.00"), null));
            ledger.send(acme.voidPending("p1"));

            ledger.reject(acme.transfer("p1", "cash", "equity", usd("1.00")), RejectionCode.DUPLICATE_ID);
        }

        @Test
        void aRejectedTransferDoesNotTakeItsId() {
            ledger.reject(acme.transfer("t1", "bank", "cash", usd("1.00")), RejectionCode.INSUFFICIENT_FUNDS);

            ledger.send(acme.transfer("t1", "cash", "equity", usd("1.00")));
        }

        @Test
        void theSameTransferIdInAnotherTenantIsAnotherTransfer() {
            Commands globex = Commands.forTenant("globex");
            ledger.send(globex.openSource("equity", USD));
            ledger.send(globex.openAsset("cash", USD));
            ledger.send(acme.transfer("t1", "cash", "equity", usd("1.00")));

            ledger.send(globex.transfer("t1", "cash", "equity", usd("2.00")));

            assertThat(ledger.account("globex", "cash").balance()).isEqualTo(200);
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsATransferFromAnAccountToItself() {
            ledger.reject(acme.transfer("t1", "cash", "cash", usd("1.00")), RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void rejectsATimeoutOnATransferThatIsNotPending() {
            CreateTransfer command = new CreateTransfer(acme.tenant(), TransferId.of("t1"), AccountId.of("cash"),
                    AccountId.of("equity"), usd("1.00"), false, Duration.ofMinutes(5), Map.of());

            ledger.reject(command, RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void rejectsAPendingTimeoutThatIsNotPositive() {
            ledger.reject(acme.pending("p1", "cash", "equity", usd("1.00"), Duration.ZERO),
                    RejectionCode.VALIDATION_FAILED);
            ledger.reject(acme.pending("p1", "cash", "equity", usd("1.00"), Duration.ofSeconds(-1)),
                    RejectionCode.VALIDATION_FAILED);
            ledger.reject(acme.pending("p1", "cash", "equity", usd("1.00"), Duration.ofNanos(-1)),
                    RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void acceptsAPendingTimeoutUpToItsMaximumOnly() {
            ledger.reject(acme.pending("p1", "cash", "equity", usd("1.00"),
                    TransferCommands.PENDING_TIMEOUT_MAX.plusSeconds(1)), RejectionCode.VALIDATION_FAILED);
            ledger.reject(acme.pending("p1", "cash", "equity", usd("1.00"),
                    TransferCommands.PENDING_TIMEOUT_MAX.plusNanos(1)), RejectionCode.VALIDATION_FAILED);

            TransferSnapshot result = ledger.send(acme.pending("p1", "cash", "equity", usd("1.00"),
                    TransferCommands.PENDING_TIMEOUT_MAX));

            assertThat(result.expiresAt()).isEqualTo("2031-01-02T00:00:00.000000Z");
        }

        @Test
        void rejectsTooMuchOrTooLongMetadata() {
            Map<String, String> tooMany = new HashMap<>();
            for (int i = 0; i <= TransferCommands.METADATA_ENTRIES_MAX; i++) {
                tooMany.put("k" + i, "v");
            }
            String longKey = "k".repeat(TransferCommands.METADATA_KEY_LENGTH_MAX + 1);
            String longValue = "v".repeat(TransferCommands.METADATA_VALUE_LENGTH_MAX + 1);

            for (Map<String, String> metadata : List.of(tooMany, Map.of(longKey, "v"), Map.of("", "v"),
                    Map.of("k", longValue))) {
                ledger.reject(new CreateTransfer(acme.tenant(), TransferId.of("t1"), AccountId.of("cash"),
                        AccountId.of("equity"), usd("1.00"), false, null, metadata), RejectionCode.VALIDATION_FAILED);
                ledger.reject(new TransferCommands.PostEntry(acme.tenant(), TransferId.of("t1"),
                        List.of(debit("cash", "1.00"), credit("equity", "1.00")), metadata),
                        RejectionCode.VALIDATION_FAILED);
            }
        }

        @Test
        void rejectsMissingMetadata() {
            ledger.reject(new CreateTransfer(acme.tenant(), TransferId.of("t1"), AccountId.of("cash"),
                    AccountId.of("equity"), usd("1.00"), false, null, null), RejectionCode.VALIDATION_FAILED);
        }

        @Test
        void acceptsMetadataAtItsLimits() {
            Map<String, String> metadata = new HashMap<>();
            for (int i = 0; i < TransferCommands.METADATA_ENTRIES_MAX - 1; i++) {
                metadata.put("k" + i, "v");
            }
            metadata.put("k".repeat(TransferCommands.METADATA_KEY_LENGTH_MAX),
                    "v".repeat(TransferCommands.METADATA_VALUE_LENGTH_MAX));

            ledger.send(new CreateTransfer(acme.tenant(), TransferId.of("t1"), AccountId.of("cash"),
                    AccountId.of("equity"), usd("1.00"), false, null, metadata));
        }
    }

    @Nested
    class Chains {
        private CreateTransfer move(String id, String debit, String credit, String amount) {
            return acme.transfer(id, debit, credit, usd(amount));
        }

        private ChainRejection rejectChain(CreateTransferChain chain, RejectionCode code, int index) {
            LedgerRejection rejection = ledger.reject(chain, code);
            assertThat(rejection).isInstanceOf(ChainRejection.class);
            ChainRejection refused = (ChainRejection) rejection;
            assertThat(refused.index()).as("index of %s", refused.getMessage()).isEqualTo(index);
            assertThat(refused.getMessage()).startsWith(ChainRejection.DETAIL_PREFIX + index + "]: ")
                    .endsWith(refused.detail());
            return refused;
        }

        @Test
        void createsLinkedTransfersInOrderEachSeeingWhatTheEarlierOnesDid() {
            long before = ledger.eventCount();
            int entriesBefore = ledger.entryCount();

            List<TransferSnapshot> created = ledger.send(acme.chain(
                    move("c1", "cash", "equity", "10.00"),
                    move("c2", "bank", "cash", "10.00")));

            assertThat(created).extracting(TransferSnapshot::transferId).containsExactly("c1", "c2");
            assertThat(ledger.payloadsSince(before)).extracting(e -> ((TransferPosted) e).transferId())
                    .containsExactly("c1", "c2");
            assertThat(ledger.entriesSince(entriesBefore))
                    .extracting(e -> e.after().accountId() + "@" + e.after().version() + " " + e.transferId())
                    .containsExactly("cash@1 c1", "equity@1 c1", "bank@1 c2", "cash@2 c2");
            assertThat(account("cash")).isEqualTo(state("cash", AccountKind.ASSET, OverdraftLimit.none(), 1000, 1000,
                    0, 0, 2));
            assertThat(account("bank").balance()).isEqualTo(1000);
        }

        @Test
        void aChainWhoseThirdTransferIsRefusedLeavesNoBookChangeNoEventAndNoDeadline() {
            fund("cash", "5.00");

            ChainRejection refused = rejectChain(acme.chain(
                    move("c1", "cash", "equity", "10.00"),
                    acme.pending("c2", "bank", "cash", usd("15.00"), Duration.ofMinutes(5)),
                    move("c3", "bank", "cash", "0.01")), RejectionCode.INSUFFICIENT_FUNDS, 2);

            assertThat(refused.detail()).contains("cash");
            assertThat(account("cash")).isEqualTo(state("cash", AccountKind.ASSET, OverdraftLimit.none(), 500, 0, 0,
                    0, 1));
            assertThat(ledger.transferEvents(TENANT, "c1")).isEmpty();
            assertThat(ledger.deadlines().getScheduledDeadlines()).isEmpty();
            ledger.send(move("c1", "cash", "equity", "10.00"));
            assertThat(account("cash").balance()).isEqualTo(1500);
        }

        @Test
        void aChainThatSucceedsSchedulesTheExpiryOfItsPendingTransfers() {
            ledger.send(acme.chain(move("c1", "cash", "equity", "10.00"),
                    acme.pending("c2", "bank", "cash", usd("10.00"), Duration.ofMinutes(5))));

            assertThat(ledger.deadlines().getScheduledDeadlines()).singleElement()
                    .satisfies(d -> assertThat(d.deadlineMessage().getPayload())
                            .isEqualTo(new PendingExpiryDue(TENANT, "c2")));
            assertThat(ledger.payloadsSince(ledger.eventCount() - 1)).singleElement()
                    .isInstanceOf(TransferPending.class);
            assertThat(account("cash").available()).isZero();
        }

        @Test
        void anIdRepeatedInTheChainIsRefusedBeforeAnyTransferRuns() {
            rejectChain(acme.chain(
                    move("c1", "bank", "cash", "1.00"), // would be refused: bank has nothing
                    move("c2", "cash", "equity", "1.00"),
                    move("c1", "cash", "equity", "1.00")), RejectionCode.DUPLICATE_ID, 2);
        }

        @Test
        void aTransferWithAnIdThatExistsIsRefusedAtItsPlace() {
            ledger.send(move("t0", "cash", "equity", "1.00"));

            rejectChain(acme.chain(move("c1", "cash", "equity", "1.00"), move("t0", "cash", "equity", "1.00")),
                    RejectionCode.DUPLICATE_ID, 1);
        }

        @Test
        void aRefusalOfAnyKindNamesItsTransfer() {
            rejectChain(acme.chain(move("c1", "cash", "equity", "1.00"), move("c2", "cash", "ghost", "1.00")),
                    RejectionCode.ACCOUNT_NOT_FOUND, 1);
            rejectChain(acme.chain(move("c1", "cash", "equity", "1.00"), move("c2", "cash", "cash", "1.00")),
                    RejectionCode.VALIDATION_FAILED, 1);
            rejectChain(acme.chain(acme.transfer("c1", "cash", "equity", Money.zero(USD))),
                    RejectionCode.AMOUNT_INVALID, 0);
            rejectChain(acme.chain(move("c1", "cash", "equity", "1.00"),
                    acme.transfer("c2", "cash-jpy", "equity", usd("1.00"))), RejectionCode.CURRENCY_MISMATCH, 1);
        }

        @Test
        void everyTransferOfAChainBelongsToItsTenant() {
            CreateTransfer foreign = Commands.forTenant("globex").transfer("c2", "cash", "equity", usd("1.00"));

            rejectChain(acme.chain(move("c1", "cash", "equity", "1.00"), foreign), RejectionCode.VALIDATION_FAILED,
                    1);
            rejectChain(new CreateTransferChain(acme.tenant(), java.util.Arrays.asList(
                    move("c1", "cash", "equity", "1.00"), null)), RejectionCode.VALIDATION_FAILED, 1);
        }

        @Test
        void aChainHasOneToItsMaximumOfTransfers() {
            rejectChain(acme.chain(), RejectionCode.VALIDATION_FAILED, 0);
            rejectChain(new CreateTransferChain(acme.tenant(), null), RejectionCode.VALIDATION_FAILED, 0);
            List<CreateTransfer> tooMany = new ArrayList<>();
            for (int i = 0; i <= TransferCommands.CHAIN_TRANSFERS_MAX; i++) {
                tooMany.add(move("c" + i, "cash", "equity", "0.01"));
            }
            rejectChain(new CreateTransferChain(acme.tenant(), tooMany), RejectionCode.VALIDATION_FAILED, 0);

            List<TransferSnapshot> created = ledger.send(new CreateTransferChain(acme.tenant(),
                    tooMany.subList(0, TransferCommands.CHAIN_TRANSFERS_MAX)));
            assertThat(created).hasSize(TransferCommands.CHAIN_TRANSFERS_MAX);
            assertThat(account("cash").balance()).isEqualTo(TransferCommands.CHAIN_TRANSFERS_MAX);
            assertThat(account("cash").version()).isEqualTo(TransferCommands.CHAIN_TRANSFERS_MAX);
        }
    }

    /** The book's writes are part of the command: if they fail, so does the command, and nothing remains. */
    @Nested
    class BookWrites {
        @Test
        void aFailedBookWriteFailsTheCommandAndStoresNoEvent() {
            fund("cash", "10.00");
            AccountState cash = account("cash");
            long eventsBefore = ledger.eventCount();
            int entriesBefore = ledger.entryCount();
            ledger.store().failNextWrite(new IllegalStateException("the database is gone"));

            Throwable thrown = catchThrowable(() -> ledger.send(acme.transfer("t1", "bank", "cash", usd("4.00"))));

            assertThat(thrown).hasMessageContaining("the database is gone");
            assertThat(ledger.eventCount()).isEqualTo(eventsBefore);
            assertThat(ledger.entryCount()).isEqualTo(entriesBefore);
            assertThat(account("cash")).isEqualTo(cash);
            assertThat(ledger.transferEvents(TENANT, "t1")).isEmpty();

            ledger.send(acme.transfer("t1", "bank", "cash", usd("4.00")));
            assertThat(account("cash").balance()).isEqualTo(600);
        }

        /** Another node posted to an account: this node's cache is stale, and a write on it would fail. */
        private void creditedElsewhere(String account, long minor, Side side) {
            AccountState stored = ledger.store().state(TENANT, account);
            ledger.store().write(List.of(new BookEntry(stored.posted(side, minor), BookEntry.POSTED, "other-node",
                    side, minor, START)));
        }

        @Test
        void aRefusalDecidedOnAStaleCachedStateIsDecidedAgainOnTheStoredOne() {
            fund("cash", "10.00");
            account("cash"); // cached
            creditedElsewhere("cash", 5000, Side.DEBIT); // another node put 50.00 into cash

            ledger.send(acme.transfer("t1", "bank", "cash", usd("30.00")));

            assertThat(account("cash")).isEqualTo(state("cash", AccountKind.ASSET, OverdraftLimit.none(), 6000, 3000,
                    0, 0, 3));
        }

        @Test
        void aRefusalStandsWhenTheStoredStateRefusesTooAndTheCacheIsRefreshed() {
            fund("cash", "10.00");
            account("cash");
            creditedElsewhere("cash", 500, Side.CREDIT); // another node took 5.00 out of cash

            // refused on the cached 10.00 and on the stored 5.00 alike
            ledger.reject(acme.transfer("t1", "bank", "cash", usd("12.00")), RejectionCode.INSUFFICIENT_FUNDS);
            // decided on the refreshed state: no version conflict
            ledger.send(acme.transfer("t2", "bank", "cash", usd("5.00")));
            assertThat(account("cash").balance()).isZero();
        }

        /**
         * The transfer is read before its accounts are locked: if the accounts no longer hold its
         * reservation (another writer ended it, or this node's state is older), posting, voiding or
         * expiring it is a conflict to run again, not a refusal, and changes nothing.
         */
        @Test
        void endingAReservationTheBookDoesNotHoldIsAConflict() {
            fund("cash", "10.00");
            ledger.send(acme.pending("p1", "bank", "cash", usd("4.00"), null));
            AccountState cash = account("cash");
            AccountState bank = account("bank");
            ledger.store().overwrite(cash.reservationEnded(Side.CREDIT, 400, 0));
            ledger.store().overwrite(bank.reservationEnded(Side.DEBIT, 400, 0));
            ledger.book().evictAll();
            long eventsBefore = ledger.eventCount();
            int entriesBefore = ledger.entryCount();

            for (Object command : List.of(acme.post("p1", null), acme.post("p1", "1.00"), acme.voidPending("p1"))) {
                Throwable thrown = catchThrowable(() -> ledger.send(command));
                assertThat(thrown).as("%s", command).satisfiesAnyOf(
                        t -> assertThat(t).isInstanceOf(ConcurrencyException.class),
                        t -> assertThat(t).hasRootCauseInstanceOf(ConcurrencyException.class));
            }

            assertThat(ledger.eventCount()).isEqualTo(eventsBefore);
            assertThat(ledger.entryCount()).isEqualTo(entriesBefore);
            assertThat(ledger.transfer(TENANT, "p1").status()).isEqualTo(TransferStatus.PENDING);
        }

        @Test
        void aStateChangedElsewhereIsCaughtByTheStoreAndTheCommandCanBeRunAgain() {
            fund("cash", "10.00");
            AccountState cached = account("cash");
            // another node posts to cash: the store moves on, this node's cache does not know
            AccountState elsewhere = cached.posted(Side.DEBIT, 500);
            ledger.store().write(List.of(new BookEntry(elsewhere, BookEntry.POSTED, "other-node", Side.DEBIT, 500,
                    START)));
            long eventsBefore = ledger.eventCount();

            Throwable thrown = catchThrowable(() -> ledger.send(acme.transfer("t1", "bank", "cash", usd("4.00"))));

            assertThat(thrown).isNotNull().isNotInstanceOf(LedgerRejection.class);
            assertThat(ledger.eventCount()).isEqualTo(eventsBefore);
            assertThat(ledger.store().state(TENANT, "cash")).isEqualTo(elsewhere);
            ledger.send(acme.transfer("t1", "bank", "cash", usd("4.00")));
            assertThat(account("cash")).isEqualTo(state("cash", AccountKind.ASSET, OverdraftLimit.none(), 1500, 400, 0,
                    0, 3));
        }
    }
}
