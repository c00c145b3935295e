package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/** Balances now and as of an instant, statements with running balances and paging, and the trial balance. */
class BalancesAndHistoryIT extends RestSupport {

    @Test
    void asOfGivesThePostedBalanceAtThatInstant() {
        LedgerClient c = newTenant("hist-asof");
        openBook(c, "EUR", "wallet");
        c.awaitAccount("wallet", a -> true);
        Instant beforeAnything = Instant.parse(c.account("wallet").json().get("openedAt").asText()).minusSeconds(60);
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR").status()).isEqualTo(201);
        awaitStatementHas(c, "wallet", "t-1");
        assertThat(transfer(c, key(), "t-2", "cash-EUR", "wallet", "5.25", "EUR").status()).isEqualTo(201);
        List<JsonNode> lines = awaitStatementHas(c, "wallet", "t-2");
        Instant first = Instant.parse(lines.get(0).get("occurredAt").asText());
        Instant second = Instant.parse(lines.get(1).get("occurredAt").asText());
        assertThat(second).isAfter(first);
        Instant between = first.plus(Duration.between(first, second).dividedBy(2)).truncatedTo(ChronoUnit.MICROS);
        assertThat(between).isAfter(first).isBefore(second);

        JsonNode atBetween = asOf(c, "wallet", between);
        assertThat(atBetween.get("balance").asText()).isEqualTo("10.00");
        assertThat(atBetween.get("creditsPosted").asText()).isEqualTo("10.00");
        assertThat(atBetween.get("currency").asText()).isEqualTo("EUR");
        assertThat(Instant.parse(atBetween.get("asOf").asText())).isEqualTo(between);
        // the instant of a posting includes it; just before it does not
        assertThat(asOf(c, "wallet", first).get("balance").asText()).isEqualTo("10.00");
        assertThat(asOf(c, "wallet", second.minusNanos(1000)).get("balance").asText()).isEqualTo("10.00");
        assertThat(asOf(c, "wallet", second).get("balance").asText()).isEqualTo("15.25");
        assertThat(asOf(c, "wallet", Instant.now().plusSeconds(3600)).get("balance").asText()).isEqualTo("15.25");
        // an asset is debit-normal: what it paid out is its balance
        assertThat(asOf(c, "cash-EUR", between).get("balance").asText()).isEqualTo("10.00");
        // opened but no movement yet: zero
        assertThat(asOf(c, "wallet", first.minusNanos(1000)).get("balance").asText()).isEqualTo("0.00");
        // before it was opened, the account did not exist
        assertProblem(c.get("/v1/accounts/wallet?asOf=" + beforeAnything), 404, "account_not_found");
        // offsets other than Z are the same instant
        assertThat(c.get("/v1/accounts/wallet?asOf=" + between.atOffset(java.time.ZoneOffset.ofHours(2))
                .toString().replace("+", "%2B")).json().get("balance").asText()).isEqualTo("10.00");
        for (String bad : List.of("yesterday", "2026-13-01T00:00:00Z", "2026-01-01", "1700000000")) {
            assertProblem(c.get("/v1/accounts/wallet?asOf=" + bad), 400, "validation_failed");
        }
    }

    private static JsonNode asOf(LedgerClient c, String account, Instant at) {
        Response r = c.get("/v1/accounts/" + account + "?asOf=" + at);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void statementPagesWithLimitAndCursorAndCarriesTheRunningBalance() {
        LedgerClient c = newTenant("hist-page");
        openBook(c, "EUR", "wallet", "shop");
        for (int i = 1; i <= 5; i++) {
            assertThat(transfer(c, key(), "in-" + i, "cash-EUR", "wallet", i + ".00", "EUR").status()).isEqualTo(201);
        }
        assertThat(transfer(c, key(), "out-1", "wallet", "shop", "4.50", "EUR").status()).isEqualTo(201);
        assertThat(pending(c, key(), "hold", "wallet", "shop", "0.50", "EUR", null).status()).isEqualTo(201);
        awaitStatementHas(c, "wallet", "hold");

        List<JsonNode> all = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Response page = statement(c, "wallet", 3, cursor);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.get("accountId").asText()).isEqualTo("wallet");
            assertThat(body.get("currency").asText()).isEqualTo("EUR");
            pageSizes.add(body.get("entries").size());
            body.get("entries").forEach(all::add);
            cursor = body.path("nextCursor").isNull() || body.path("nextCursor").isMissingNode()
                    ? null : body.get("nextCursor").asText();
        } while (cursor != null && pageSizes.size() < 10);
        assertThat(pageSizes).containsExactly(3, 3, 1);
        assertThat(all).extracting(l -> l.get("transferId").asText())
                .containsExactly("in-1", "in-2", "in-3", "in-4", "in-5", "out-1", "hold");
        assertThat(all).extracting(l -> l.get("balance").asText())
                .containsExactly("1.00", "3.00", "6.00", "10.00", "15.00", "10.50", "10.50");
        assertThat(all).extracting(l -> l.get("available").asText())
                .containsExactly("1.00", "3.00", "6.00", "10.00", "15.00", "10.50", "10.00");
        assertThat(all).extracting(l -> l.get("type").asText())
                .containsExactly("posted", "posted", "posted", "posted", "posted", "posted", "reserved");
        assertThat(all.get(5).get("side").asText()).isEqualToIgnoringCase("debit");
        assertThat(all.get(5).get("amount").asText()).isEqualTo("4.50");
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).get("seq").asLong()).isGreaterThan(all.get(i - 1).get("seq").asLong());
        }
        // one page with everything, and the default page, agree with the pages
        assertThat(lines(c, "wallet")).isEqualTo(all);
        Response whole = statement(c, "wallet", null, null);
        assertThat(whole.json().get("entries")).hasSize(7);
        assertThat(absent(whole.json(), "nextCursor")).isTrue();
        // the last line's balances are the account's
        JsonNode account = c.account("wallet").json();
        assertThat(account.get("balance").asText()).isEqualTo(all.get(6).get("balance").asText());
        assertThat(account.get("available").asText()).isEqualTo(all.get(6).get("available").asText());

        for (String bad : List.of("limit=0", "limit=-1", "limit=1001", "cursor=abc", "cursor=-5", "limit=x")) {
            assertProblem(c.get("/v1/accounts/wallet/entries?" + bad), 400, "validation_failed");
        }
        // a cursor past the end is an empty last page
        Response past = statement(c, "wallet", 3, Long.toString(all.get(6).get("seq").asLong()));
        assertThat(past.json().get("entries")).isEmpty();
    }

    @Test
    void trialBalanceTotalsAreEqualPerCurrency() {
        LedgerClient c = newTenant("hist-tb");
        openBook(c, "EUR", "wallet", "shop");
        openBook(c, "JPY", "wallet-jpy");
        open(c, "fees", "EUR", "REVENUE", null);
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "100.00", "EUR").status()).isEqualTo(201);
        assertThat(transfer(c, key(), "t-2", "wallet", "shop", "40.00", "EUR").status()).isEqualTo(201);
        assertThat(entry(c, key(), "e-1", "shop", "debit", "1.50", "fees", "credit", "1.50").status()).isEqualTo(201);
        assertThat(transfer(c, key(), "t-3", "cash-JPY", "wallet-jpy", "1200", "JPY").status()).isEqualTo(201);
        assertThat(pending(c, key(), "hold", "wallet", "shop", "5.00", "EUR", null).status()).isEqualTo(201);
        c.awaitAccount("fees", a -> a.get("balance").asText().equals("1.50"));
        c.awaitAccount("wallet-jpy", a -> a.get("balance").asText().equals("1200"));
        c.awaitAccount("wallet", a -> a.get("available").asText().equals("55.00"));
        // The counter-accounts may be projected by another segment: wait for every account.
        c.awaitAccount("cash-EUR", a -> a.get("debitsPosted").asText().equals("100.00"));
        c.awaitAccount("shop", a -> a.get("debitsPosted").asText().equals("1.50")
                && a.get("creditsPending").asText().equals("5.00"));
        c.awaitAccount("cash-JPY", a -> a.get("debitsPosted").asText().equals("1200"));

        Response tb = trialBalance(c, null);
        assertThat(tb.status()).as(tb.toString()).isEqualTo(200);
        JsonNode body = tb.json();
        assertThat(body.get("truncated").asBoolean()).isFalse();
        Map<String, BigDecimal[]> sums = new HashMap<>();
        List<String> accounts = new ArrayList<>();
        for (JsonNode line : body.get("accounts")) {
            accounts.add(line.get("account").asText());
            BigDecimal[] s = sums.computeIfAbsent(line.get("currency").asText(),
                    k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            s[0] = s[0].add(new BigDecimal(line.get("debits").asText()));
            s[1] = s[1].add(new BigDecimal(line.get("credits").asText()));
        }
        assertThat(accounts).containsExactlyInAnyOrder("cash-EUR", "wallet", "shop", "fees", "cash-JPY", "wallet-jpy");
        assertThat(body.get("totals")).hasSize(2);
        for (JsonNode total : body.get("totals")) {
            String currency = total.get("currency").asText();
            assertThat(total.get("debits").asText()).as(currency).isEqualTo(total.get("credits").asText());
            assertThat(total.get("balanced").asBoolean()).isTrue();
            assertThat(new BigDecimal(total.get("debits").asText())).isEqualByComparingTo(sums.get(currency)[0]);
            assertThat(new BigDecimal(total.get("credits").asText())).isEqualByComparingTo(sums.get(currency)[1]);
        }
        JsonNode eur = total(body, "EUR");
        assertThat(eur.get("debits").asText()).isEqualTo("141.50"); // 100 + 40 + 1.50; pending is not posted
        assertThat(eur.get("accounts").asInt()).isEqualTo(4);
        JsonNode jpy = total(body, "JPY");
        assertThat(jpy.get("debits").asText()).isEqualTo("1200");
        assertThat(jpy.get("accounts").asInt()).isEqualTo(2);

        // filtered by currency
        JsonNode onlyJpy = trialBalance(c, "currency=JPY").json();
        assertThat(onlyJpy.get("accounts")).hasSize(2);
        assertThat(onlyJpy.get("totals")).hasSize(1);
        assertThat(onlyJpy.get("totals").get(0).get("currency").asText()).isEqualTo("JPY");
    }

    private static JsonNode total(JsonNode trialBalance, String currency) {
        for (JsonNode t : trialBalance.get("totals")) {
            if (t.get("currency").asText().equals(currency)) {
                return t;
            }
        }
        throw new AssertionError("no total for " + currency + " in " + trialBalance);
    }
}
