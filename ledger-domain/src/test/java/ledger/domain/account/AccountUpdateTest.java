package ledger.domain.account;

import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.book.AccountState;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UpdateAccount;
import ledger.domain.event.AccountEvents.AccountUpdated;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TenantId;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.ChainCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metadata and overdraft limits through {@code LedgerCommandHandler}: each change one
 * {@link AccountUpdated} event of the account and its next book state; the new limit decides the next
 * transfer; a limit the balance already passes is refused and changes nothing.
 */
class AccountUpdateTest {
    private static final String TENANT = "acme";
    private final Commands acme = Commands.forTenant(TENANT);
    private LedgerHarness ledger;

    @BeforeEach
    void start() {
        ledger = LedgerHarness.create();
        ledger.send(acme.openSource("equity", USD));
        ledger.send(new OpenAccount(TenantId.of(TENANT), AccountId.of("wallet"), USD, AccountKind.LIABILITY,
                OverdraftLimit.none(), Map.of("segment", "retail")));
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private UpdateAccount update(Map<String, String> metadata, String limit) {
        return new UpdateAccount(TenantId.of(TENANT), AccountId.of("wallet"), metadata,
                limit == null ? null : OverdraftLimit.parse(limit, USD));
    }

    @Test
    void metadataAtOpeningIsAnEventOfTheAccount() {
        assertThat(ledger.accountEvents(TENANT, "wallet")).extracting(e -> e.getPayload()).last()
                .isEqualTo(new AccountUpdated(TENANT, "wallet", Map.of("segment", "retail"), null));
    }

    @Test
    void aNewLimitDecidesFromThenOn() {
        ledger.reject(acme.transfer("t1", "wallet", "equity", usd("5.00")), RejectionCode.INSUFFICIENT_FUNDS);
        long before = ledger.eventCount();

        AccountState next = ledger.send(update(null, "10.00"));

        assertThat(ledger.payloadsSince(before)).containsExactly(new AccountUpdated(TENANT, "wallet", null, "10.00"));
        assertThat(next.overdraftLimit()).isEqualTo(OverdraftLimit.parse("10.00", USD));
        assertThat(ledger.account(TENANT, "wallet").version()).isEqualTo(1);
        ledger.send(acme.transfer("t1", "wallet", "equity", usd("5.00")));
        ledger.reject(acme.transfer("t2", "wallet", "equity", usd("5.01")), RejectionCode.INSUFFICIENT_FUNDS);

        // 5.00 is in use: 4.99 is refused, 5.00 is fine
        ledger.reject(update(null, "4.99"), RejectionCode.LIMIT_BELOW_BALANCE);
        ledger.reject(update(Map.of("a", "b"), "0"), RejectionCode.LIMIT_BELOW_BALANCE);
        ledger.send(update(Map.of(), "5.00"));
        ledger.reject(acme.transfer("t3", "wallet", "equity", usd("0.01")), RejectionCode.INSUFFICIENT_FUNDS);
        ChainCheck.verifyAll(ledger.allEvents());
    }

    @Test
    void nothingToChangeBadMetadataAndClosedAccountsAreRefused() {
        ledger.reject(update(null, null), RejectionCode.VALIDATION_FAILED);
        ledger.reject(update(Map.of("k".repeat(65), "v"), null), RejectionCode.VALIDATION_FAILED);
        ledger.reject(new UpdateAccount(TenantId.of(TENANT), AccountId.of("ghost"), Map.of(), null),
                RejectionCode.ACCOUNT_NOT_FOUND);
        ledger.send(acme.close("wallet"));
        ledger.reject(update(Map.of(), null), RejectionCode.ACCOUNT_CLOSED);
    }
}
