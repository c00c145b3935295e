package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Amounts are exact decimal strings within the currency's ISO 4217 minor unit; anything else is refused. */
class AmountValidationIT extends RestSupport {

    static Stream<Arguments> invalidAmounts() {
        return Stream.of(
                Arguments.of("EUR", "0", "zero"),
                Arguments.of("EUR", "0.00", "zero with decimals"),
                Arguments.of("EUR", "-5.00", "negative"),
                Arguments.of("EUR", "1.001", "more decimals than EUR's 2"),
                Arguments.of("JPY", "1.5", "any decimal in JPY (0)"),
                Arguments.of("JPY", "1.0", "a zero decimal in JPY (0)"),
                Arguments.of("EUR", "10000000000000.00", "above 999999999999999 minor units"),
                Arguments.of("JPY", "1000000000000000", "above 999999999999999 minor units in JPY"),
                Arguments.of("EUR", "1e3", "exponent notation"),
                Arguments.of("EUR", "+5.00", "a sign"),
                Arguments.of("EUR", "5.", "a trailing point"),
                Arguments.of("EUR", ".50", "no integer part"),
                Arguments.of("EUR", "007.00", "leading zeros"),
                Arguments.of("EUR", " 5.00", "whitespace"),
                Arguments.of("EUR", "1,00", "a decimal comma"),
                Arguments.of("EUR", "", "empty"),
                Arguments.of("EUR", "abc", "not a number"));
    }

    /**
     * One tenant for the cases below, which only check the refusal; that refusals leave no trace is
     * proven once for all of them by {@link #invalidAmountsChangeNothing()}.
     */
    private static LedgerClient shared;
    private static int cases;

    private LedgerClient book() {
        if (shared == null) {
            shared = newFundedBook();
        }
        return shared;
    }

    @ParameterizedTest(name = "[{index}] {2}: \"{1}\" {0}")
    @MethodSource("invalidAmounts")
    void invalidAmountIsRejected(String currency, String amount, String why) {
        LedgerClient c = book();
        String n = Integer.toString(++cases);
        sendInvalid(c, currency, amount, why, n);
    }

    /** Every invalid amount, on a transfer, a pending transfer and an entry: then nothing has changed. */
    @Test
    void invalidAmountsChangeNothing() {
        LedgerClient c = newFundedBook();
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop", "cash-JPY", "wallet-JPY", "shop-JPY");
        List<String> refused = new ArrayList<>();
        invalidAmounts().forEach(a -> {
            String n = Integer.toString(refused.size());
            sendInvalid(c, (String) a.get()[0], (String) a.get()[1], (String) a.get()[2], n);
            refused.addAll(List.of("t-bad-" + n, "p-bad-" + n, "e-bad-" + n));
        });
        assertUnchanged(c, before, refused.toArray(String[]::new));
    }

    private LedgerClient newFundedBook() {
        LedgerClient c = newTenant("amt");
        openBook(c, "EUR", "wallet", "shop");
        openBook(c, "JPY", "wallet-JPY", "shop-JPY");
        assertThat(transfer(c, key(), "fund-eur", "cash-EUR", "wallet", "500.00", "EUR").status()).isEqualTo(201);
        assertThat(transfer(c, key(), "fund-jpy", "cash-JPY", "wallet-JPY", "500", "JPY").status()).isEqualTo(201);
        awaitStatementsHave(c, "fund-eur", "cash-EUR", "wallet");
        awaitStatementsHave(c, "fund-jpy", "cash-JPY", "wallet-JPY");
        return c;
    }

    private static void sendInvalid(LedgerClient c, String currency, String amount, String why, String n) {
        String wallet = "EUR".equals(currency) ? "wallet" : "wallet-" + currency;
        String shop = "EUR".equals(currency) ? "shop" : "shop-" + currency;
        JsonNode problem = assertProblem(transfer(c, key(), "t-bad-" + n, wallet, shop, amount, currency),
                422, "amount_invalid");
        assertThat(problem.get("detail").asText()).as(why).containsAnyOf("amount", "decimal");
        assertProblem(pending(c, key(), "p-bad-" + n, wallet, shop, amount, currency, null), 422, "amount_invalid");
        assertProblem(entry(c, key(), "e-bad-" + n, wallet, "debit", amount, shop, "credit", amount),
                422, "amount_invalid");
    }

    @Test
    void amountAsAJsonNumberIsRefusedWithAClearMessage() {
        LedgerClient c = newTenant("amt-num");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        for (String number : List.of("10.5", "10", "1e3")) {
            Response r = c.post("/v1/transfers", key(), "{\"id\":\"t-num\",\"debitAccount\":\"cash-EUR\","
                    + "\"creditAccount\":\"wallet\",\"amount\":" + number + ",\"currency\":\"EUR\"}");
            assertThat(r.code()).as(r.toString()).isIn("validation_failed", "amount_invalid");
            JsonNode problem = assertProblem(r, r.status(), r.code());
            assertThat(r.status()).isIn(400, 422);
            detailMentions(problem, "amount");
            assertThat(problem.get("detail").asText()).as("says amounts are strings").containsIgnoringCase("string");
        }
        Response leg = c.post("/v1/entries", key(), "{\"id\":\"e-num\",\"legs\":[{\"account\":\"cash-EUR\","
                + "\"debit\":10.5},{\"account\":\"wallet\",\"credit\":\"10.50\"}]}");
        assertThat(leg.code()).as(leg.toString()).isIn("validation_failed", "amount_invalid");
        detailMentions(assertProblem(leg, leg.status(), leg.code()), "debit");

        assertUnchanged(c, before, "t-num", "e-num");
    }

    @Test
    void theMaximumAmountAndTheCurrencyScaleAreAccepted() {
        LedgerClient c = newTenant("amt-max");
        openBook(c, "EUR", "wallet");
        openBook(c, "JPY", "wallet-jpy");
        openBook(c, "BHD", "wallet-bhd");
        assertThat(transfer(c, key(), "t-max", "cash-EUR", "wallet", "9999999999999.99", "EUR").status())
                .isEqualTo(201);
        assertThat(transfer(c, key(), "t-jpy", "cash-JPY", "wallet-jpy", "1500", "JPY").status()).isEqualTo(201);
        assertThat(transfer(c, key(), "t-bhd", "cash-BHD", "wallet-bhd", "1.005", "BHD").status()).isEqualTo(201);
        // fewer decimals than the currency allows are fine and normalised to the currency's scale
        Response few = transfer(c, key(), "t-few", "cash-EUR", "wallet", "0.1", "EUR");
        assertThat(few.status()).as(few.toString()).isEqualTo(201);
        assertThat(few.json().get("legs").get(0).get("amount").asText()).isEqualTo("0.10");

        c.awaitAccount("wallet", a -> a.get("balance").asText().equals("10000000000000.09"));
        c.awaitAccount("wallet-jpy", a -> a.get("balance").asText().equals("1500"));
        c.awaitAccount("wallet-bhd", a -> a.get("balance").asText().equals("1.005"));
    }
}
