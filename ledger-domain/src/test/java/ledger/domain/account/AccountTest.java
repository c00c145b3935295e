package ledger.domain.account;

import static ledger.domain.Commands.BHD;
import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.RejectionCode;
import ledger.domain.money.OverdraftLimit;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Account aggregate's own commands: open, freeze, unfreeze, close. Run through the real command
 * bus and event-sourcing repository (see {@link LedgerHarness} for why not AggregateTestFixture), so
 * every event carries its real seal; "expect events" compares the payloads appended by the command.
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

    private void expectEvents(Object command, Object... expected) {
        long before = ledger.eventCount();
        ledger.send(command);
        assertThat(ledger.payloadsSince(before)).containsExactly(expected);
    }

    private AccountSnapshot cash() {
        return ledger.account(TENANT, "cash");
    }

    @Test
    void opensAccountWithItsCurrencyScaleKindAndLimit() {
        expectEvents(acme.open("cash", BHD, AccountKind.LIABILITY, OverdraftLimit.parse("5.250", BHD)),
                new AccountOpened(TENANT, "cash", "BHD", 3, "LIABILITY", "5.250"));

        AccountSnapshot cash = cash();
        assertThat(cash.status()).isEqualTo(AccountStatus.OPEN);
        assertThat(cash.currency()).isEqualTo(BHD);
        assertThat(cash.overdraftLimit()).isEqualTo(new OverdraftLimit(false, 5250));
        assertThat(cash.balance()).isZero();
        assertThat(cash.available()).isZero();
    }

    @Test
    void storesNoOverdraftAsZeroInTheCurrencyScaleAndUnlimitedByName() {
        expectEvents(acme.openAsset("cash", JPY), new AccountOpened(TENANT, "cash", "JPY", 0, "ASSET", "0"));
        expectEvents(acme.openSource("equity", USD),
                new AccountOpened(TENANT, "equity", "USD", 2, "EQUITY", OverdraftLimit.UNLIMITED));
    }

    @Test
    void rejectsOpeningAnAccountIdThatExists() {
        ledger.send(acme.openAsset("cash", USD));

        ledger.reject(acme.openAsset("cash", USD), RejectionCode.DUPLICATE_ID);
        ledger.reject(acme.open("cash", JPY, AccountKind.REVENUE, OverdraftLimit.none()), RejectionCode.DUPLICATE_ID);
        assertThat(cash().currency()).isEqualTo(USD);
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

    @Test
    void freezesAnOpenAccount() {
        ledger.send(acme.openAsset("cash", USD));

        expectEvents(acme.freeze("cash"), new AccountFrozen(TENANT, "cash", "test"));
        assertThat(cash().status()).isEqualTo(AccountStatus.FROZEN);
    }

    @Test
    void freezingAFrozenAccountAppendsNothing() {
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.freeze("cash"));

        expectEvents(acme.freeze("cash"));
        assertThat(cash().status()).isEqualTo(AccountStatus.FROZEN);
    }

    @Test
    void unfreezesAFrozenAccount() {
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.freeze("cash"));

        expectEvents(acme.unfreeze("cash"), new AccountUnfrozen(TENANT, "cash"));
        assertThat(cash().status()).isEqualTo(AccountStatus.OPEN);
    }

    @Test
    void unfreezingAnOpenAccountAppendsNothing() {
        ledger.send(acme.openAsset("cash", USD));

        expectEvents(acme.unfreeze("cash"));
        assertThat(cash().status()).isEqualTo(AccountStatus.OPEN);
    }

    @Test
    void closesAnAccountAtZeroBalanceWithNothingPending() {
        ledger.send(acme.openAsset("cash", USD));

        expectEvents(acme.close("cash"), new AccountClosed(TENANT, "cash"));
        assertThat(cash().status()).isEqualTo(AccountStatus.CLOSED);
    }

    @Test
    void closesAnAccountWhoseMovementsCancelOut() {
        openCashAndSource();
        ledger.send(acme.transfer("in", "cash", "source", usd("10.00")));
        ledger.send(acme.transfer("out", "source", "cash", usd("10.00")));

        expectEvents(acme.close("cash"), new AccountClosed(TENANT, "cash"));
    }

    @Test
    void rejectsClosingAnAccountWithABalance() {
        openCashAndSource();
        ledger.send(acme.transfer("in", "cash", "source", usd("0.01")));

        ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_NOT_EMPTY);
        assertThat(cash().status()).isEqualTo(AccountStatus.OPEN);
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
    void rejectsClosingAnAccountWithAPendingDebitAtZeroBalance() {
        openCashAndSource();
        ledger.send(acme.pending("hold", "cash", "source", usd("10.00"), Duration.ofHours(1)));
        assertThat(cash().balance()).isZero();

        ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_NOT_EMPTY);

        ledger.send(acme.voidPending("hold"));
        expectEvents(acme.close("cash"), new AccountClosed(TENANT, "cash"));
    }

    @Test
    void closedAccountRejectsFreezeUnfreezeAndClose() {
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.close("cash"));

        ledger.reject(acme.freeze("cash"), RejectionCode.ACCOUNT_CLOSED);
        ledger.reject(acme.unfreeze("cash"), RejectionCode.ACCOUNT_CLOSED);
        ledger.reject(acme.close("cash"), RejectionCode.ACCOUNT_CLOSED);
    }

    @Test
    void closedAccountRejectsNewMovementsOnEitherSide() {
        openCashAndSource();
        ledger.send(acme.close("cash"));

        ledger.reject(acme.transfer("in", "cash", "source", usd("1.00")), RejectionCode.ACCOUNT_CLOSED);
        ledger.reject(acme.transfer("out", "source", "cash", usd("1.00")), RejectionCode.ACCOUNT_CLOSED);
        ledger.reject(acme.pending("hold", "cash", "source", usd("1.00"), null), RejectionCode.ACCOUNT_CLOSED);
    }

    /** Documents today's behaviour: the API has to map Axon's exception to account_not_found. */
    @Test
    void commandsOnAnAccountThatWasNeverOpenedFailWithAggregateNotFound() {
        long before = ledger.eventCount();

        assertThatThrownBy(() -> ledger.send(acme.freeze("ghost"))).isInstanceOf(AggregateNotFoundException.class);
        assertThatThrownBy(() -> ledger.send(acme.close("ghost"))).isInstanceOf(AggregateNotFoundException.class);
        assertThat(ledger.eventCount()).isEqualTo(before);
    }

    private void openCashAndSource() {
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.openSource("source", USD));
    }
}
