package ledger.domain.account;

import static ledger.domain.Commands.BHD;
import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.usd;
import static ledger.domain.LedgerHarness.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.book.AccountState;
import ledger.domain.book.BookEntry;
import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Invariants.InvariantViolation;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.AccountId;
import ledger.domain.model.TenantId;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.money.OverdraftLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Account commands (open, freeze, unfreeze, close) through {@code LedgerCommandHandler} on the real
 * command bus, event store and book (see {@link LedgerHarness}): each change is one sealed event
 * of the Account aggregate and one book entry carrying the account's next state, which the command
 * returns; a refusal changes nothing. The aggregate's own life-cycle methods are in
 * {@link AccountFixtureTest}.
 */
class AccountTest {
    private static final String TENANT = "acme";
    private final Commands acme = Commands.forTenant(TENANT);
    private LedgerHarness ledger;

    @BeforeEach
    void start() {
        ledger = LedgerHarness.create();
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    /**
     * Sends {@code command}, which must append exactly {@code event} (none when null) and write
     * exactly {@code entry} (none when null); returns what the command returned.
     */
    private AccountState expectChange(Object command, Object event, BookEntry entry) {
        long eventsBefore = ledger.eventCount();
        int entriesBefore = ledger.entryCount();

        AccountState result = ledger.send(command);

        assertThat(ledger.payloadsSince(eventsBefore)).as("events of %s", command)
                .containsExactlyElementsOf(event == null ? List.of() : List.of(event));
        assertThat(ledger.entriesSince(entriesBefore)).as("book entries of %s", command)
                .containsExactlyElementsOf(entry == null ? List.of() : List.of(entry));
        if (entry != null) {
            assertThat(result).as("what %s returns", command).isEqualTo(entry.after());
        }
        return result;
    }

    private AccountState cash() {
        return ledger.account(TENANT, "cash");
    }

    private static BookEntry statusEntry(AccountState after, String type) {
        return new BookEntry(after, type, null, null, 0, START);
    }

    private static AccountState usdAsset(AccountStatus status, long debitsPosted, long creditsPosted, long version) {
        return new AccountState(TENANT, "cash", USD, AccountKind.ASSET, OverdraftLimit.none(), status, debitsPosted,
                creditsPosted, 0, 0, version);
    }

    private void openCashAndSource() {
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.openSource("source", USD));
    }

    @Nested
    class Open {
        @Test
        void opensAnAccountWithItsCurrencyScaleKindAndLimit() {
            AccountState opened = new AccountState(TENANT, "cash", BHD, AccountKind.LIABILITY,
                    new OverdraftLimit(false, 5250), AccountStatus.OPEN, 0, 0, 0, 0, 0);

            expectChange(acme.open("cash", BHD, AccountKind.LIABILITY, OverdraftLimit.parse("5.250", BHD)),
                    new AccountOpened(TENANT, "cash", "BHD", 3, "LIABILITY", "5.250"),
                    statusEntry(opened, BookEntry.OPENED));

            assertThat(cash()).isEqualTo(opened);
            assertThat(cash().balance()).isZero();
            assertThat(cash().available()).isZero();
            assertThat(ledger.accountStatus(TENANT, "cash")).isEqualTo(AccountStatus.OPEN);
        }

        @Test
        void storesNoOverdraftAsZeroInTheCurrencyScaleAndUnlimitedByName() {
            expectChange(acme.openAsset("cash", JPY), new AccountOpened(TENANT, "cash", "JPY", 0, "ASSET", "0"),
                    statusEntry(AccountState.opened(TENANT, "cash", JPY, AccountKind.ASSET, OverdraftLimit.none()),
                            BookEntry.OPENED));
            expectChange(acme.openSource("equity", USD),
                    new AccountOpened(TENANT, "equity", "USD", 2, "EQUITY", OverdraftLimit.UNLIMITED),
                    statusEntry(AccountState.opened(TENANT, "equity", USD, AccountKind.EQUITY,
                            OverdraftLimit.unlimitedLimit()), BookEntry.OPENED));
        }

        @Test
        void rejectsOpeningAnAccountIdThatExists() {
            ledger.send(acme.openAsset("cash", USD));

            ledger.reject(acme.openAsset("cash", USD), RejectionCode.DUPLICATE_ID);
            ledger.reject(acme.open("cash", JPY, AccountKind.REVENUE, OverdraftLimit.none()),
                    RejectionCode.DUPLICATE_ID);
            assertThat(cash().currency()).isEqualTo(USD);
            assertThat(ledger.accountEvents(TENANT, "cash")).hasSize(1);
        }

        @Test
        void rejectsReopeningAClosedAccount() {
            ledger.send(acme.openAsset("cash", USD));
            ledger.send(acme.close("cash"));

            ledger.reject(acme.openAsset("cash", USD), RejectionCode.DUPLICATE_ID);
            assertThat(cash().status()).isEqualTo(AccountStatus.CLOSED);
        }

        @Test
        void sameAccountIdInAnotherTenantIsAnotherAccount() {
            ledger.send(acme.openAsset("cash", USD));
            ledger.send(Commands.forTenant("globex").openAsset("cash", JPY));

            assertThat(ledger.account("globex", "cash").currency()).isEqualTo(JPY);
            assertThat(cash().currency()).isEqualTo(USD);
        }
    }

    @Nested
    class FreezeAndUnfreeze {
        @Test
        void freezesAnOpenAccount() {
            ledger.send(acme.openAsset("cash", USD));

            expectChange(acme.freeze("cash"), new AccountFrozen(TENANT, "cash", "test"),
                    statusEntry(usdAsset(AccountStatus.FROZEN, 0, 0, 1), BookEntry.FROZEN));
            assertThat(cash().status()).isEqualTo(AccountStatus.FROZEN);
            assertThat(ledger.accountStatus(TENANT, "cash")).isEqualTo(AccountStatus.FROZEN);
        }

        @Test
        void freezingAFrozenAccountChangesNothingAndAnswersItsState() {
            ledger.send(acme.openAsset("cash", USD));
            ledger.send(acme.freeze("cash"));

            AccountState result = expectChange(acme.freeze("cash"), null, null);

            assertThat(result).isEqualTo(usdAsset(AccountStatus.FROZEN, 0, 0, 1));
        }

        @Test
        void unfreezesAFrozenAccount() {
            ledger.send(acme.openAsset("cash", USD));
            ledger.send(acme.freeze("cash"));

            expectChange(acme.unfreeze("cash"), new AccountUnfrozen(TENANT, "cash"),
                    statusEntry(usdAsset(AccountStatus.OPEN, 0, 0, 2), BookEntry.UNFROZEN));
            assertThat(ledger.accountStatus(TENANT, "cash")).isEqualTo(AccountStatus.OPEN);
        }

        @Test
        void unfreezingAnOpenAccountChangesNothingAndAnswersItsState() {
            ledger.send(acme.openAsset("cash", USD));

            assertThat(expectChange(acme.unfreeze("cash"), null, null)).isEqualTo(usdAsset(AccountStatus.OPEN, 0, 0, 0));
        }

        /** The circuit breaker of reconciliation relies on it: the refusal names why the account is frozen. */
        @Test
        void aPostingOnAFrozenAccountIsRefusedNamingTheFreezeReason() {
            openCashAndSource();
            ledger.send(new FreezeAccount(TenantId.of(TENANT), AccountId.of("cash"),
                    "reconciliation break b-42: UNKNOWN_CURRENCY"));

            LedgerRejection refused = ledger.reject(acme.transfer("in", "cash", "source", usd("10.00")),
                    RejectionCode.ACCOUNT_FROZEN);
            assertThat(refused.getMessage()).isEqualTo(
                    "account cash is frozen (reconciliation break b-42: UNKNOWN_CURRENCY)");

            ledger.send(acme.unfreeze("cash"));
            ledger.send(acme.transfer("in", "cash", "source", usd("10.00")));
            assertThat(cash().balance()).isEqualTo(1000);
        }

        @Test
        void aFrozenAccountKeepsItsBalances() {
            openCashAndSource();
            ledger.send(acme.transfer("in", "cash", "source", usd("10.00")));

            expectChange(acme.freeze("cash"), new AccountFrozen(TENANT, "cash", "test"),
                    statusEntry(usdAsset(AccountStatus.FROZEN, 1000, 0, 2), BookEntry.FROZEN));
        }
    }

    @Nested
    class Close {
        @Test
        void closesAnAccountAtZeroBalanceWithNothingPending() {
            ledger.send(acme.openAsset("cash", USD));

            expectChange(acme.close("cash"), new AccountClosed(TENANT, "cash"),
                    statusEntry(usdAsset(AccountStatus.CLOSED, 0, 0, 1), BookEntry.CLOSED));
            assertThat(ledger.accountStatus(TENANT, "cash")).isEqualTo(AccountStatus.CLOSED);
        }

        @Test
        void closesAFrozenAccount() {
            ledger.send(acme.openAsset("cash", USD));
            ledger.send(acme.freeze("cash"));

            expectChange(acme.close("cash"), new AccountClosed(TENANT, "cash"),
                    statusEntry(usdAsset(AccountStatus.CLOSED, 0, 0, 2), BookEntry.CLOSED));
        }

        @Test
        void closesAnAccountWhoseMovementsCancelOut() {
            openCashAndSource();
            ledger.send(acme.transfer("in", "cash", "source", usd("10.00")));
            ledger.send(acme.transfer("out", "source", "cash", usd("10.00")));

            expectChange(acme.close("cash"), new AccountClosed(TENANT, "cash"),
                    statusEntry(usdAsset(AccountStatus.CLOSED, 1000, 1000, 3), BookEntry.CLOSED));
        }

        @Test
        void rejectsClosingAnAccountWithABalance() {
            openCashAndSource();
            ledger.send(acme.transfer("in", "cash", "source", usd("0.01")));

            ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_NOT_EMPTY);
            assertThat(cash().status()).isEqualTo(AccountStatus.OPEN);
            assertThat(ledger.accountStatus(TENANT, "cash")).isEqualTo(AccountStatus.OPEN);
        }

        @Test
        void rejectsClosingAnAccountWithAnOverdrawnBalance() {
            ledger.send(acme.open("cash", USD, AccountKind.ASSET, OverdraftLimit.parse("5.00", USD)));
            ledger.send(acme.openSource("source", USD));
            ledger.send(acme.transfer("out", "source", "cash", usd("1.00")));

            ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_NOT_EMPTY);
        }

        @Test
        void rejectsClosingAnAccountWithAPendingCreditAtZeroBalance() {
            ledger.send(acme.open("cash", USD, AccountKind.ASSET, OverdraftLimit.parse("10.00", USD)));
            ledger.send(acme.openSource("source", USD));
            ledger.send(acme.pending("hold", "source", "cash", usd("10.00"), null));
            assertThat(cash().balance()).isZero();
            assertThat(cash().creditsPending()).isEqualTo(1000);

            ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_NOT_EMPTY);
        }

        @Test
        void rejectsClosingAnAccountWithAPendingDebitAtZeroBalanceUntilItIsReleased() {
            openCashAndSource();
            ledger.send(acme.pending("hold", "cash", "source", usd("10.00"), Duration.ofHours(1)));
            assertThat(cash().balance()).isZero();

            ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_NOT_EMPTY);

            ledger.send(acme.voidPending("hold"));
            expectChange(acme.close("cash"), new AccountClosed(TENANT, "cash"),
                    statusEntry(usdAsset(AccountStatus.CLOSED, 0, 0, 3), BookEntry.CLOSED));
        }

        @Test
        void aClosedAccountRejectsFreezeUnfreezeAndClose() {
            ledger.send(acme.openAsset("cash", USD));
            ledger.send(acme.close("cash"));

            ledger.reject(acme.freeze("cash"), RejectionCode.ACCOUNT_CLOSED);
            ledger.reject(acme.unfreeze("cash"), RejectionCode.ACCOUNT_CLOSED);
            ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_CLOSED);
        }

        @Test
        void aClosedAccountRejectsNewMovementsOnEitherSide() {
            openCashAndSource();
            ledger.send(acme.close("cash"));

            ledger.reject(acme.transfer("in", "cash", "source", usd("1.00")), RejectionCode.ACCOUNT_CLOSED);
            ledger.reject(acme.transfer("out", "source", "cash", usd("1.00")), RejectionCode.ACCOUNT_CLOSED);
            ledger.reject(acme.pending("hold", "cash", "source", usd("1.00"), null), RejectionCode.ACCOUNT_CLOSED);
        }
    }

    @Test
    void commandsOnAnAccountThatWasNeverOpenedAreRefusedAsNotFound() {
        ledger.reject(acme.freeze("ghost"), RejectionCode.ACCOUNT_NOT_FOUND);
        ledger.reject(acme.unfreeze("ghost"), RejectionCode.ACCOUNT_NOT_FOUND);
        ledger.reject(acme.close("ghost"), RejectionCode.ACCOUNT_NOT_FOUND);
    }

    @Test
    void everyChangeOfAnAccountIsItsNextVersionWhateverCausedIt() {
        openCashAndSource();
        ledger.send(acme.freeze("cash"));
        ledger.send(acme.unfreeze("cash"));
        ledger.send(acme.transfer("in", "cash", "source", usd("2.00")));
        ledger.send(acme.pending("hold", "source", "cash", usd("1.50"), null));
        ledger.send(acme.post("hold", "0.50"));

        assertThat(ledger.store().entriesOfTenant(TENANT).stream().filter(e -> e.after().accountId().equals("cash")))
                .extracting(e -> e.type() + "@" + e.after().version())
                .containsExactly("opened@0", "frozen@1", "unfrozen@2", "posted@3", "reserved@4", "pending_posted@5");
        assertThat(cash()).isEqualTo(usdAsset(AccountStatus.OPEN, 200, 50, 5));
    }

    /** The aggregate asserts its own status on every change: a call its status does not allow is a bug. */
    @Nested
    class TheAggregateAgreesWithTheBook {
        private void expectViolation(java.util.function.Consumer<Account> change) {
            long before = ledger.eventCount();
            assertThat(ledger.changeAccount(TENANT, "cash", change)).isInstanceOf(InvariantViolation.class);
            assertThat(ledger.eventCount()).isEqualTo(before);
        }

        @Test
        void itRefusesAChangeItsStatusDoesNotAllow() {
            ledger.send(acme.openAsset("cash", USD));
            expectViolation(Account::unfreeze);

            ledger.send(acme.freeze("cash"));
            expectViolation(account -> account.freeze("twice"));

            ledger.send(acme.close("cash"));
            expectViolation(account -> account.freeze("late"));
            expectViolation(Account::unfreeze);
            expectViolation(Account::close);
        }

        /** A book changed by hand (or gone wrong) is caught before anything is written. */
        @Test
        void aBookThatDisagreesWithTheAggregateStopsTheCommand() {
            ledger.send(acme.openAsset("cash", USD));
            ledger.store().overwrite(cash().withStatus(AccountStatus.FROZEN));
            ledger.book().evictAll();
            long eventsBefore = ledger.eventCount();
            int entriesBefore = ledger.entryCount();

            Throwable thrown = catchThrowable(() -> ledger.send(acme.unfreeze("cash")));

            assertThat(thrown).satisfiesAnyOf(
                    t -> assertThat(t).isInstanceOf(InvariantViolation.class),
                    t -> assertThat(t).hasRootCauseInstanceOf(InvariantViolation.class));
            assertThat(ledger.eventCount()).isEqualTo(eventsBefore);
            assertThat(ledger.entryCount()).isEqualTo(entriesBefore);
            assertThat(ledger.accountStatus(TENANT, "cash")).isEqualTo(AccountStatus.OPEN);
        }
    }
}
