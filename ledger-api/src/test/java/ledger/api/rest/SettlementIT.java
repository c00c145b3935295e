package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import ledger.api.FxRatesFile;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.settlement.SettlementConfig;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Cross-currency settlements over real HTTP against the real service on real PostgreSQL
 * (docs/settlement.md): a quote, a settlement that completes with every balance and house account
 * exact, a settlement whose destination is frozen that is compensated with the source exactly
 * restored, a refused reservation, refusals and the list. Rates come from the rates file the
 * service reads at {@code <data dir>/fx-rates.csv} (the default of {@code LEDGER_FX_RATES_FILE}).
 */
class SettlementIT extends RestSupport {
    @Autowired
    private Configuration axon;
    @Autowired
    private javax.sql.DataSource dataSource;

    static {
        FxRatesFile.write();
    }

    /** A tenant with alice (USD, funded with 1,000.00) and bob (JPY). */
    private LedgerClient book() {
        LedgerClient c = newTenant("fx");
        openBook(c, "USD", "alice");
        openBook(c, "JPY", "bob");
        fund(c, "alice", "1000.00", "USD");
        return c;
    }

    private static Response settle(LedgerClient c, String key, String id, String source, String destination,
                                   String sourceAmount, String destinationAmount, String quoteId) {
        return c.post("/v1/settlements", key, json("id", id, "sourceAccount", source, "destinationAccount",
                destination, "sourceAmount", sourceAmount, "destinationAmount", destinationAmount, "quoteId", quoteId));
    }

    private static JsonNode awaitSettlement(LedgerClient c, String id, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = c.get("/v1/settlements/" + id);
            if (last.status() == 200 && condition.test(last.json())) {
                return last.json();
            }
            pause(25);
        }
        throw new AssertionError("settlement " + id + " did not reach the expected state; last: " + last);
    }

    private static boolean finished(JsonNode settlement) {
        return !"PENDING".equals(settlement.get("status").asText());
    }

    private static JsonNode account(LedgerClient c, String id) {
        Response account = c.account(id);
        assertThat(account.status()).as(account.toString()).isEqualTo(200);
        return account.json();
    }

    private static void assertBalance(LedgerClient c, String id, String balance, String available) {
        JsonNode account = account(c, id);
        assertThat(account.get("balance").asText()).as("balance of %s", id).isEqualTo(balance);
        assertThat(account.get("available").asText()).as("available of %s", id).isEqualTo(available);
    }

    private static List<String> steps(JsonNode settlement) {
        List<String> steps = new ArrayList<>();
        settlement.get("steps").forEach(s -> {
            assertThat(s.get("at").asText()).as("time of step %s", s).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            steps.add(s.get("step").asText());
        });
        return steps;
    }

    /** Every currency's posted debits equal its credits over the tenant's whole book. */
    private static void assertBooksBalance(LedgerClient c, String... currencies) {
        for (String currency : currencies) {
            Response trial = trialBalance(c, "currency=" + currency);
            assertThat(trial.status()).as(trial.toString()).isEqualTo(200);
            JsonNode totals = trial.json().get("totals");
            assertThat(totals.toString()).as("totals of %s", currency).isNotEmpty();
            assertThat(totals.size()).as("totals of %s", currency).isEqualTo(1);
            totals.forEach(t -> {
                assertThat(t.get("debits").asText()).as("%s: %s", currency, t).isEqualTo(t.get("credits").asText());
                assertThat(t.get("balanced").asBoolean()).as("%s: %s", currency, t).isTrue();
            });
        }
    }

    @Test
    void theViewIsWrittenInTheEventsTransactionAndTheSagaTracksTheStoreInItsSegments() throws Exception {
        try (java.sql.Connection connection = dataSource.getConnection();
             java.sql.Statement query = connection.createStatement();
             java.sql.ResultSet rows = query.executeQuery("SELECT processor_name, count(*) FROM token_entry "
                     + "WHERE processor_name IN ('settlement-view', '" + SettlementConfig.SAGA_PROCESSOR + "') "
                     + "GROUP BY processor_name")) {
            java.util.Map<String, Integer> segments = new java.util.HashMap<>();
            while (rows.next()) {
                segments.put(rows.getString(1), rows.getInt(2));
            }
            // a subscribing processor keeps no token; the saga's pooled processor one per segment
            assertThat(segments).isEqualTo(java.util.Map.of(SettlementConfig.SAGA_PROCESSOR, SettlementConfig.SAGA_SEGMENTS));
        }
    }

    @Test
    void aQuoteLocksTheRatesFilePrice() {
        LedgerClient c = book();
        Response quote = c.post("/v1/fx/quotes", null, json("from", "USD", "to", "JPY", "amount", "100.00"));
        assertThat(quote.status()).as(quote.toString()).isEqualTo(201);
        JsonNode q = quote.json();
        assertThat(q.get("rate").asText()).isEqualTo("154.10");
        assertThat(q.get("bid").asText()).isEqualTo("154.10");
        assertThat(q.get("ask").asText()).isEqualTo("154.30");
        assertThat(q.get("mid").asText()).isEqualTo("154.20");
        assertThat(q.get("provider").asText()).isEqualTo("rates-file");
        assertThat(q.get("decision").get("winner").asText()).isEqualTo("rates-file");
        assertThat(Duration.between(java.time.Instant.parse(q.get("obtainedAt").asText()),
                java.time.Instant.parse(q.get("expiresAt").asText()))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void convertsUsdToJpyWithEveryBalanceExact() {
        LedgerClient c = book();
        String quoteId = c.post("/v1/fx/quotes", null, json("from", "USD", "to", "JPY", "amount", "100.00"))
                .json().get("id").asText();
        String key = key();
        Response accepted = settle(c, key, "fx-1", "alice", "bob", "100.00", null, quoteId);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode view = accepted.json();
        assertThat(view.get("status").asText()).isEqualTo("PENDING");
        assertThat(view.get("sourceAmount").asText()).isEqualTo("100.00");
        assertThat(view.get("destinationAmount").asText()).isEqualTo("15410");
        assertThat(view.get("quote").get("id").asText()).isEqualTo(quoteId);

        Response readRightAfter = c.get("/v1/settlements/fx-1");
        assertThat(readRightAfter.status()).as("the view is written with the settlement's first event: %s",
                readRightAfter).isEqualTo(200);

        JsonNode done = awaitSettlement(c, "fx-1", SettlementIT::finished);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(steps(done)).containsExactly("ACCEPTED", "RESERVED", "DESTINATION_POSTED", "RESERVATION_POSTED",
                "COMPLETED");
        assertThat(done.get("valueAtMid").asText()).isEqualTo("15420");
        assertThat(done.get("spreadRevenue").asText()).isEqualTo("10");
        assertThat(done.get("rounding").asText()).isEqualTo("0");
        assertThat(done.get("quote").get("rate").asText()).isEqualTo("154.10");
        assertThat(done.get("quote").get("provider").asText()).isEqualTo("rates-file");

        // alice paid 100.00 USD, bob got 15,410 JPY; the house's positions carry the trade at mid
        assertBalance(c, "alice", "900.00", "900.00");
        assertBalance(c, "bob", "15410", "15410");
        assertBalance(c, "fx.position.USD", "-100.00", "-100.00");
        assertBalance(c, "fx.position.JPY", "15420", "15420");
        assertBalance(c, "fx.revenue.JPY", "10", "10");
        assertBalance(c, "fx.rounding.JPY", "0", "0");
        assertBooksBalance(c, "USD", "JPY");

        Response replayed = settle(c, key, "fx-1", "alice", "bob", "100.00", null, quoteId);
        assertThat(replayed.status()).isEqualTo(202);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(accepted.body());
        assertBalance(c, "alice", "900.00", "900.00");
    }

    @Test
    void buysAnExactDestinationAmountAndPostsSpreadAndRounding() {
        LedgerClient c = book();
        Response accepted = settle(c, key(), "fx-buy", "alice", "bob", null, "10000", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode done = awaitSettlement(c, "fx-buy", SettlementIT::finished);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        // docs/fx.md: S = 10,000 / 154.10 → 64.90 USD; value at mid 10,008 = 10,000 + spread 6 + rounding 2
        assertThat(done.get("sourceAmount").asText()).isEqualTo("64.90");
        assertThat(done.get("roundingRule").asText()).isEqualTo("SOURCE_CEILING");
        assertBalance(c, "alice", "935.10", "935.10");
        assertBalance(c, "bob", "10000", "10000");
        assertBalance(c, "fx.position.USD", "-64.90", "-64.90");
        assertBalance(c, "fx.position.JPY", "10008", "10008");
        assertBalance(c, "fx.revenue.JPY", "6", "6");
        assertBalance(c, "fx.rounding.JPY", "2", "2");
        assertBooksBalance(c, "USD", "JPY");
    }

    @Test
    void aDestinationFrozenAfterAcceptanceIsCompensatedWithTheSourceExactlyRestored() {
        LedgerClient c = book();
        JsonNode before = account(c, "alice");
        // accepted while bob is open; bob is frozen before the saga takes its first step (its processor is
        // held meanwhile, so the order is certain): the reservation is made, the destination side is
        // refused, and the reservation is voided
        EventProcessor sagas = axon.eventProcessingConfiguration().eventProcessor(SettlementConfig.SAGA_PROCESSOR)
                .orElseThrow();
        Response accepted;
        sagas.shutDown();
        try {
            accepted = settle(c, key(), "fx-frozen", "alice", "bob", "250.00", null, null);
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
            assertThat(freeze(c, "bob").status()).isEqualTo(200);
        } finally {
            sagas.start();
        }

        JsonNode done = awaitSettlement(c, "fx-frozen", SettlementIT::finished);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPENSATED");
        assertThat(done.get("reasonCode").asText()).isEqualTo("account_frozen");
        assertThat(steps(done)).containsExactly("ACCEPTED", "RESERVED", "COMPENSATED");
        assertThat(c.get("/v1/transfers/fx-frozen:fx-reserve").json().get("status").asText()).isEqualTo("VOIDED");
        assertThat(c.get("/v1/transfers/fx-frozen:fx-destination").status()).isEqualTo(404);

        JsonNode after = account(c, "alice");
        for (String field : List.of("balance", "available", "debitsPosted", "creditsPosted", "debitsPending",
                "creditsPending")) {
            assertThat(after.get(field).asText()).as(field).isEqualTo(before.get(field).asText());
        }
        assertBalance(c, "bob", "0", "0");
        assertBalance(c, "fx.position.USD", "0.00", "0.00");
        assertBooksBalance(c, "USD", "JPY");
    }

    @Test
    void aSourceWithoutFundsFailsAndPostsNothing() {
        LedgerClient c = book();
        Response accepted = settle(c, key(), "fx-poor", "alice", "bob", "5000.00", null, null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode done = awaitSettlement(c, "fx-poor", SettlementIT::finished);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("FAILED");
        assertThat(done.get("reasonCode").asText()).isEqualTo("insufficient_funds");
        assertThat(steps(done)).containsExactly("ACCEPTED", "FAILED");
        assertBalance(c, "alice", "1000.00", "1000.00");
        assertBalance(c, "bob", "0", "0");
    }

    @Test
    void aReadThatWaitsAnswersOnceTheSettlementHasEnded() {
        LedgerClient c = book();
        Response accepted = settle(c, key(), "fx-wait", "alice", "bob", "10.00", null, null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        // one read: the service holds it until the settlement ends (well within 30 s here), not a poll
        Response waited = c.get("/v1/settlements/fx-wait?waitSeconds=30");
        assertThat(waited.status()).as(waited.toString()).isEqualTo(200);
        assertThat(waited.json().get("status").asText()).as(waited.toString()).isEqualTo("COMPLETED");
        // an ended settlement is answered at once, whatever the wait
        assertThat(c.get("/v1/settlements/fx-wait?waitSeconds=30").json().get("status").asText())
                .isEqualTo("COMPLETED");
        for (String wrong : List.of("-1", "31", "x")) {
            Response refused = c.get("/v1/settlements/fx-wait?waitSeconds=" + wrong);
            assertThat(refused.status()).as(wrong + ": " + refused).isEqualTo(400);
        }
        assertThat(c.get("/v1/settlements/fx-none?waitSeconds=5").status()).isEqualTo(404);
    }

    @Test
    void refusesWhatCannotBeSettled() {
        LedgerClient c = book();
        open(c, "carol", "USD", "LIABILITY", null);

        String refusedKey = key();
        Response unknownQuote = settle(c, refusedKey, "fx-r1", "alice", "bob", "1.00", null, "no-such-quote");
        assertProblem(unknownQuote, 404, "quote_not_found");
        Response sameCurrency = settle(c, key(), "fx-r2", "alice", "carol", "1.00", null, null);
        assertProblem(sameCurrency, 422, "currency_mismatch");
        Response unknownAccount = settle(c, key(), "fx-r3", "alice", "nobody", "1.00", null, null);
        assertProblem(unknownAccount, 404, "account_not_found");
        Response bothAmounts = settle(c, key(), "fx-r4", "alice", "bob", "1.00", "154", null);
        assertProblem(bothAmounts, 400, "validation_failed");
        Response tooPrecise = settle(c, key(), "fx-r5", "alice", "bob", "1.001", null, null);
        assertProblem(tooPrecise, 422, "amount_invalid");
        Response noKey = settle(c, null, "fx-r6", "alice", "bob", "1.00", null, null);
        assertProblem(noKey, 400, "validation_failed");
        Response noRate = c.post("/v1/fx/quotes", null, json("from", "EUR", "to", "JPY", "amount", "1.00"));
        assertProblem(noRate, 503, "rate_unavailable");

        String key = key();
        assertThat(settle(c, key, "fx-r7", "alice", "bob", "1.00", null, null).status()).isEqualTo(202);
        assertProblem(settle(c, key(), "fx-r7", "alice", "bob", "1.00", null, null), 409, "duplicate_id");
        assertProblem(settle(c, key, "fx-r7", "alice", "bob", "2.00", null, null), 409, "idempotency_conflict");
        awaitSettlement(c, "fx-r7", SettlementIT::finished);

        Response replayedRefusal = settle(c, refusedKey, "fx-r1", "alice", "bob", "1.00", null, "no-such-quote");
        assertProblem(replayedRefusal, 404, "quote_not_found");
        assertThat(replayedRefusal.header("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(c.get("/v1/settlements/none"), 404, "settlement_not_found");
    }

    @Test
    void oneOfConcurrentSettlementsWithTheSameIdIsAccepted() throws Exception {
        LedgerClient c = book();
        int racers = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return settle(c, key(), "fx-race", "alice", "bob", "10.00", null, null);
                }));
            }
            go.countDown();
            int accepted = 0;
            for (java.util.concurrent.Future<Response> answer : answers) {
                Response r = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (r.status() == 202) {
                    accepted++;
                } else {
                    assertProblem(r, 409, "duplicate_id");
                }
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(awaitSettlement(c, "fx-race", SettlementIT::finished).get("status").asText()).isEqualTo("COMPLETED");
        assertBalance(c, "alice", "990.00", "990.00");
    }

    @Test
    void listsSettlementsByStatusWithACursor() {
        LedgerClient c = book();
        for (String id : List.of("fx-l1", "fx-l2", "fx-l3")) {
            assertThat(settle(c, key(), id, "alice", "bob", "1.00", null, null).status()).isEqualTo(202);
        }
        assertThat(settle(c, key(), "fx-l4", "alice", "bob", "9999.00", null, null).status()).isEqualTo(202);
        for (String id : List.of("fx-l1", "fx-l2", "fx-l3", "fx-l4")) {
            awaitSettlement(c, id, SettlementIT::finished);
        }
        Response first = c.get("/v1/settlements?status=COMPLETED&limit=2");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(ids(first.json())).containsExactly("fx-l1", "fx-l2");
        Response second = c.get("/v1/settlements?status=COMPLETED&limit=2&cursor="
                + first.json().get("nextCursor").asText());
        assertThat(ids(second.json())).containsExactly("fx-l3");
        assertThat(second.json().get("nextCursor").isNull()).isTrue();
        assertThat(ids(c.get("/v1/settlements?status=FAILED").json())).containsExactly("fx-l4");
        assertProblem(c.get("/v1/settlements?status=DONE"), 400, "validation_failed");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("settlements").forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }
}
