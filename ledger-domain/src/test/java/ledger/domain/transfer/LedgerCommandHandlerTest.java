package ledger.domain.transfer;

import static ledger.domain.Commands.BHD;
import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.credit;
import static ledger.domain.Commands.debit;
import static ledger.domain.Commands.money;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.account.AccountSnapshot;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.event.AccountEvents.AccountPosted;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TransferId;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Transfers and journal entries through {@link LedgerCommandHandler}: what is posted, and every
 * rejection, each proven to change nothing (see {@link LedgerHarness#reject}).
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

    private AccountSnapshot account(String id) {
        return ledger.account(TENANT, id);
    }

    /** Puts {@code amount} into asset account {@code id} from the unlimited equity account. */
    private void fund(String id, String amount) {
        ledger.send(acme.transfer("fund-" + id + "-" + amount, id, "equity", usd(amount)));
    }

    @Test
    void postsATransferAsOneTransferEventAndOnePostingPerAccount() {
        long before = ledger.eventCount();

        TransferSnapshot result = ledger.send(acme.transfer("t1", "cash", "equity", usd("25.50")));

        assertThat(ledger.payloadsSince(before)).containsExactlyInAnyOrder(
                new TransferPosted(TENANT, "t1", Transfer.KIND_TRANSFER, List.of(
                        new Leg("cash", "debit", "25.50", "USD"), new Leg("equity", "credit", "25.50", "USD")),
                        Map.of()),
                new AccountPosted(TENANT, "cash", "t1", "debit", "25.50", "USD"),
                new AccountPosted(TENANT, "equity", "t1", "credit", "25.50", "USD"));
        assertThat(result.status()).isEqualTo(TransferStatus.POSTED);
        assertThat(result.createdAt()).isEqualTo("2030-01-01T00:00:00.000000Z");
        assertThat(account("cash").balance()).isEqualTo(2550);
        assertThat(account("equity").balance()).isEqualTo(2550);
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
        void postsAMultiCurrencyEntryBalancedPerCurrency() {
            long before = ledger.eventCount();

            TransferSnapshot result = ledger.send(acme.entry("fx-1",
                    debit("cash-jpy", "15000"), credit("equity-jpy", "15000"),
                    debit("cash", "100.00"), credit("equity", "100.00")));

            assertThat(result.kind()).isEqualTo(Transfer.KIND_ENTRY);
            assertThat(result.legs()).hasSize(4);
            assertThat(ledger.eventCount() - before).isEqualTo(5);
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

            TransferSnapshot result = ledger.send(acme.entry("e1", legs));

            assertThat(result.legs()).hasSize(TransferCommands.LEGS_MAX);
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
        }

        @Test
        void acceptsAPendingTimeoutUpToItsMaximumOnly() {
            ledger.reject(acme.pending("p1", "cash", "equity", usd("1.00"),
                    TransferCommands.PENDING_TIMEOUT_MAX.plusSeconds(1)), RejectionCode.VALIDATION_FAILED);

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
}
