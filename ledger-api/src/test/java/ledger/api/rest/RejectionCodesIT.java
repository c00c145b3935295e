package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/** Every business rejection has its code and status, and leaves no trace. */
class RejectionCodesIT extends RestSupport {

    @Test
    void insufficientFundsIsRejectedAndChangesNothing() {
        LedgerClient c = newTenant("rej-funds");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "10.00", "EUR");
        List<AccountState> before = snapshot(c, "wallet", "shop", "cash-EUR");

        detailMentions(assertProblem(transfer(c, key(), "t-over", "wallet", "shop", "10.01", "EUR"),
                422, "insufficient_funds"), "wallet");

        assertUnchanged(c, before, "t-over");
    }

    @Test
    void aReservationCountsAgainstTheAvailableBalance() {
        LedgerClient c = newTenant("rej-reserved");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "100.00", "EUR");
        assertThat(pending(c, key(), "hold", "wallet", "shop", "80.00", "EUR", null).status()).isEqualTo(201);
        awaitStatementsHave(c, "hold", "wallet", "shop");
        List<AccountState> before = snapshot(c, "wallet", "shop");

        assertProblem(transfer(c, key(), "t-over", "wallet", "shop", "20.01", "EUR"), 422, "insufficient_funds");
        assertProblem(pending(c, key(), "hold-2", "wallet", "shop", "20.01", "EUR", null), 422, "insufficient_funds");

        assertUnchanged(c, before, "t-over", "hold-2");
    }

    @Test
    void currencyMismatchIsRejectedAndChangesNothing() {
        LedgerClient c = newTenant("rej-ccy");
        openBook(c, "EUR", "wallet-eur");
        openBook(c, "USD", "wallet-usd");
        fund(c, "wallet-eur", "50.00", "EUR");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet-eur", "cash-USD", "wallet-usd");

        // the transfer's currency differs from the credit account's
        assertProblem(transfer(c, key(), "t-1", "cash-EUR", "wallet-usd", "5.00", "EUR"), 422, "currency_mismatch");
        // the accounts are in two currencies, whichever the transfer names
        assertProblem(transfer(c, key(), "t-2", "wallet-eur", "wallet-usd", "5.00", "USD"), 422, "currency_mismatch");
        // an entry leg in an account of another currency cannot balance a EUR leg
        Response entry = entry(c, key(), "e-1", "cash-EUR", "debit", "5.00", "wallet-usd", "credit", "5.00");
        assertThat(entry.code()).as(entry.toString()).isIn("currency_mismatch", "unbalanced_entry");
        assertThat(entry.status()).isEqualTo(422);

        assertUnchanged(c, before, "t-1", "t-2", "e-1");
    }

    @Test
    void unknownAccountIsRejectedAndChangesNothing() {
        LedgerClient c = newTenant("rej-nf");
        openBook(c, "EUR", "wallet");
        fund(c, "wallet", "20.00", "EUR");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        assertProblem(transfer(c, key(), "t-1", "cash-EUR", "nobody", "1.00", "EUR"), 404, "account_not_found");
        assertProblem(transfer(c, key(), "t-2", "nobody", "wallet", "1.00", "EUR"), 404, "account_not_found");
        assertProblem(entry(c, key(), "e-1", "cash-EUR", "debit", "1.00", "nobody", "credit", "1.00"),
                404, "account_not_found");
        assertProblem(c.account("nobody"), 404, "account_not_found");
        assertProblem(statement(c, "nobody", null, null), 404, "account_not_found");
        assertProblem(freeze(c, "nobody"), 404, "account_not_found");
        assertProblem(close(c, "nobody"), 404, "account_not_found");

        assertUnchanged(c, before, "t-1", "t-2", "e-1");
        assertProblem(c.account("nobody"), 404, "account_not_found");
    }

    @Test
    void frozenAccountRefusesTransfersOnEitherSideAndChangesNothing() {
        LedgerClient c = newTenant("rej-frozen");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "30.00", "EUR");
        Response frozen = freeze(c, "wallet");
        assertThat(frozen.status()).as(frozen.toString()).isEqualTo(200);
        assertThat(frozen.json().get("status").asText()).isEqualTo("FROZEN");
        c.awaitAccount("wallet", a -> a.get("status").asText().equals("FROZEN"));
        List<AccountState> before = snapshot(c, "wallet", "shop", "cash-EUR");

        assertProblem(transfer(c, key(), "t-in", "cash-EUR", "wallet", "1.00", "EUR"), 409, "account_frozen");
        assertProblem(transfer(c, key(), "t-out", "wallet", "shop", "1.00", "EUR"), 409, "account_frozen");
        assertProblem(pending(c, key(), "p-out", "wallet", "shop", "1.00", "EUR", null), 409, "account_frozen");

        // the frozen account takes no marker: compare it after the others' markers
        assertUnchanged(c, before, "t-in", "t-out", "p-out");
        // unfrozen, it moves money again
        assertThat(unfreeze(c, "wallet").status()).isEqualTo(200);
        c.awaitAccount("wallet", a -> a.get("status").asText().equals("OPEN"));
        assertThat(transfer(c, key(), "t-after", "wallet", "shop", "1.00", "EUR").status()).isEqualTo(201);
        c.awaitAccount("wallet", a -> a.get("balance").asText().equals("29.00"));
    }

    @Test
    void closedAccountRefusesTransfersAndChangesNothing() {
        LedgerClient c = newTenant("rej-closed");
        openBook(c, "EUR", "wallet", "old");
        fund(c, "wallet", "10.00", "EUR");
        Response closed = close(c, "old");
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.json().get("status").asText()).isEqualTo("CLOSED");
        c.awaitAccount("old", a -> a.get("status").asText().equals("CLOSED"));
        List<AccountState> before = snapshot(c, "wallet", "old", "cash-EUR");

        assertProblem(transfer(c, key(), "t-in", "cash-EUR", "old", "1.00", "EUR"), 409, "account_closed");
        assertProblem(transfer(c, key(), "t-out", "old", "wallet", "1.00", "EUR"), 409, "account_closed");
        assertProblem(freeze(c, "old"), 409, "account_closed");
        assertProblem(close(c, "old"), 409, "account_closed");

        assertUnchanged(c, before, "t-in", "t-out");
    }

    @Test
    void anAccountClosesOnlyAtZeroBalanceWithNothingPending() {
        LedgerClient c = newTenant("rej-close");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "10.00", "EUR");
        // shop has a zero balance but a pending credit
        assertThat(pending(c, key(), "hold", "wallet", "shop", "10.00", "EUR", null).status()).isEqualTo(201);
        c.awaitAccount("wallet", a -> a.get("available").asText().equals("0.00"));
        c.awaitAccount("shop", a -> a.get("creditsPending").asText().equals("10.00"));
        List<AccountState> before = snapshot(c, "wallet", "shop");

        assertProblem(close(c, "wallet"), 409, "account_not_empty");
        assertProblem(close(c, "shop"), 409, "account_not_empty");

        assertUnchanged(c, before);
        assertThat(c.account("shop").json().get("status").asText()).isEqualTo("OPEN");
    }

    @Test
    void unbalancedEntryIsRejectedAndChangesNothing() {
        LedgerClient c = newTenant("rej-unbal");
        openBook(c, "EUR", "wallet", "shop");
        openBook(c, "USD", "wallet-usd");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop", "cash-USD", "wallet-usd");

        detailMentions(assertProblem(entry(c, key(), "e-1", "cash-EUR", "debit", "10.00",
                "wallet", "credit", "9.99"), 422, "unbalanced_entry"), "EUR");
        assertProblem(entry(c, key(), "e-2", "cash-EUR", "debit", "10.00", "wallet", "credit", "6.00",
                "shop", "credit", "3.00"), 422, "unbalanced_entry");
        // balanced in total but not per currency
        assertProblem(entry(c, key(), "e-3", "cash-EUR", "debit", "10.00", "wallet", "credit", "10.00",
                "cash-USD", "debit", "1.00", "wallet-usd", "credit", "2.00"), 422, "unbalanced_entry");

        assertUnchanged(c, before, "e-1", "e-2", "e-3");

        // the same legs balanced per currency post atomically
        Response ok = entry(c, key(), "e-4", "cash-EUR", "debit", "10.00", "wallet", "credit", "6.00",
                "shop", "credit", "4.00", "cash-USD", "debit", "2.00", "wallet-usd", "credit", "2.00");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(ok.json().get("legs")).hasSize(5);
        awaitStatementHas(c, "wallet-usd", "e-4");
        awaitStatementHas(c, "shop", "e-4");
    }

    @Test
    void unknownCurrencyIsRejectedAndChangesNothing() {
        LedgerClient c = newTenant("rej-unk");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        assertProblem(transfer(c, key(), "t-1", "cash-EUR", "wallet", "1.00", "XYZ"), 422, "unknown_currency");
        assertProblem(transfer(c, key(), "t-2", "cash-EUR", "wallet", "1.00", "eur"), 422, "unknown_currency");
        // XAU has no ISO 4217 minor unit: not money here
        assertProblem(c.openAccount("gold", "XAU", "ASSET", null), 422, "unknown_currency");
        assertProblem(c.openAccount("bad", "EURO", "ASSET", null), 422, "unknown_currency");
        assertProblem(trialBalance(c, "currency=XYZ"), 422, "unknown_currency");

        assertUnchanged(c, before, "t-1", "t-2");
        assertProblem(c.account("gold"), 404, "account_not_found");
        assertProblem(c.account("bad"), 404, "account_not_found");
    }

    @Test
    void reusedTransferIdWithOtherContentIsAConflictNamingTheFieldsUnderAnotherIdempotencyKey() {
        LedgerClient c = newTenant("rej-dup");
        openBook(c, "EUR", "wallet", "shop");
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR").status()).isEqualTo(201);
        awaitStatementsHave(c, "t-1", "cash-EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop");

        // the same content is the same transfer (RetriesByIdIT); other content is refused, naming what differs
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR").status()).isEqualTo(200);
        assertThat(fields(assertProblem(transfer(c, key(), "t-1", "cash-EUR", "shop", "99.00", "EUR"), 409,
                "transfer_id_conflict"))).containsExactly("creditAccount", "amount");
        assertThat(fields(assertProblem(pending(c, key(), "t-1", "cash-EUR", "shop", "1.00", "EUR", null), 409,
                "transfer_id_conflict"))).containsExactly("creditAccount", "amount", "pending");
        // transfers and entries share one id space
        assertThat(fields(assertProblem(entry(c, key(), "t-1", "cash-EUR", "debit", "1.00", "shop", "credit", "1.00"),
                409, "transfer_id_conflict"))).containsExactly("kind", "legs");

        assertUnchanged(c, before);
        Response original = c.get("/v1/transfers/t-1");
        assertThat(original.json().get("legs").get(1).get("account").asText()).isEqualTo("wallet");
        assertThat(original.json().get("legs").get(1).get("amount").asText()).isEqualTo("10.00");
    }

    @Test
    void reusedAccountIdIsADuplicate() {
        LedgerClient c = newTenant("rej-dupacc");
        openBook(c, "EUR", "wallet");
        fund(c, "wallet", "5.00", "EUR");
        List<AccountState> before = snapshot(c, "wallet");

        assertProblem(c.openAccount("wallet", "EUR", "LIABILITY", null), 409, "duplicate_id");
        assertProblem(c.openAccount("wallet", "USD", "ASSET", "unlimited"), 409, "duplicate_id");

        assertUnchanged(c, before);
        Response wallet = c.account("wallet");
        assertThat(wallet.json().get("currency").asText()).isEqualTo("EUR");
        assertThat(wallet.json().get("kind").asText()).isEqualTo("LIABILITY");
        assertThat(wallet.json().has("overdraftLimit") && !wallet.json().get("overdraftLimit").isNull()).isFalse();
    }

    @Test
    void sameDebitAndCreditAccountIsAValidationFailure() {
        LedgerClient c = newTenant("rej-self");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR");
        assertProblem(transfer(c, key(), "t-self", "cash-EUR", "cash-EUR", "1.00", "EUR"), 400, "validation_failed");
        assertProblem(entry(c, key(), "e-self", "cash-EUR", "debit", "1.00", "cash-EUR", "credit", "1.00"),
                400, "validation_failed");
        assertUnchanged(c, before, "t-self", "e-self");
    }

    private static List<String> fields(com.fasterxml.jackson.databind.JsonNode problem) {
        List<String> names = new java.util.ArrayList<>();
        problem.path("fields").forEach(f -> names.add(f.asText()));
        return names;
    }
}
