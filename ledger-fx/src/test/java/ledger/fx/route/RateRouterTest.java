package ledger.fx.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejectionCode;
import ledger.fx.provider.CsvRateTable;
import ledger.fx.provider.EcbReferenceRates;
import ledger.fx.provider.HttpJsonRateProvider;
import ledger.fx.provider.HttpJsonSettings;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.support.LocalHttpServer;
import ledger.fx.support.LocalHttpServer.Response;
import ledger.fx.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router of docs/fx.md, "Routing", with every provider a real HTTP server started here: a
 * slow one, a failing one, a stale one, one whose quota runs out, and good ones.
 */
class RateRouterTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyCode USD = ISO.resolve("USD");
    private static final CurrencyCode JPY = ISO.resolve("JPY");
    private static final CurrencyPair USD_JPY = new CurrencyPair(USD, JPY);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final BreakerSettings LENIENT = new BreakerSettings(50, 10, 10, Duration.ofSeconds(60), 1);

    private final MutableClock clock = MutableClock.at("2026-12-06T10:00:00Z");
    private final List<LocalHttpServer> servers = new ArrayList<>();
    private RateRouter router;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        servers.forEach(LocalHttpServer::close);
    }

    @Test
    void choosesTheBestAnswerAndRecordsWhatBecameOfEveryProvider() throws Exception {
        LocalHttpServer fast = priced("154.10", "154.30", "2026-12-06T09:59:50Z");
        LocalHttpServer wide = priced("153.20", "155.20", "2026-12-06T09:59:50Z");
        LocalHttpServer slow = server(exchange -> {
            Thread.sleep(3_000);
            return price("154.00", "154.10", "2026-12-06T09:59:50Z");
        });
        LocalHttpServer failing = server(exchange -> new Response(500, "text/plain", "internal error"));
        LocalHttpServer stale = priced("154.11", "154.29", "2026-12-06T08:00:00Z");
        LocalHttpServer capped = priced("154.15", "154.25", "2026-12-06T09:59:55Z");
        router = router(List.of(
                        ProviderSlot.of(json("slow", slow)), ProviderSlot.of(json("failing", failing)),
                        ProviderSlot.of(json("stale", stale)),
                        ProviderSlot.of(json("capped", capped)).withQuota(new Quota(1, Duration.ofDays(1))),
                        ProviderSlot.of(json("wide", wide)), ProviderSlot.of(json("fast", fast))),
                AmountTiers.single(List.of("slow", "failing", "stale", "capped", "wide", "fast")),
                RoutingPolicy.of(Duration.ofMillis(500), Duration.ofMinutes(1)), LENIENT);

        RoutingDecision first = router.route(USD_JPY, usd("250.00"));
        assertThat(first.outcomeOf("capped").orElseThrow().outcome()).isEqualTo(Outcome.ANSWERED);

        long start = System.nanoTime();
        RoutingDecision decision = router.route(USD_JPY, usd("250.00"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("providers are asked at the same time, bounded by the timeout").isLessThan(Duration.ofMillis(1_500));
        assertThat(decision.outcomes()).extracting(ProviderOutcome::provider, ProviderOutcome::outcome).containsExactly(
                tuple("slow", Outcome.TIMEOUT), tuple("failing", Outcome.FAILED), tuple("stale", Outcome.STALE),
                tuple("capped", Outcome.QUOTA_EXHAUSTED), tuple("wide", Outcome.ANSWERED), tuple("fast", Outcome.ANSWERED));
        assertThat(decision.winner()).contains("fast");
        assertThat(decision.winningRate().orElseThrow().bid()).isEqualTo("154.10");
        assertThat(detail(decision, "failing")).isEqualTo("failing: HTTP 500 from " + failing.base() + "/USD/JPY");
        assertThat(detail(decision, "stale")).isEqualTo("rate as of 2026-12-06T08:00:00Z is PT2H old, more than the PT1M allowed");
        assertThat(detail(decision, "capped")).isEqualTo("all 1 calls of the PT24H period are used; the next period starts at 2026-12-07T00:00:00Z");
        assertThat(detail(decision, "slow")).isEqualTo("no answer within the 500 ms timeout");
        assertThat(decision.outcomeOf("failing").orElseThrow().latency().orElseThrow())
                .as("a failure's latency is its own, not the time spent waiting for the slow one").isLessThan(Duration.ofMillis(400));
        assertThat(capped.hits()).as("an exhausted quota is not spent on a call").isEqualTo(1);

        // spread 0.20 / mid 154.20 = 0.00129701686..., over the 2 % cap: 1 - 0.0648508... = 0.9351
        Score fastScore = decision.outcomeOf("fast").orElseThrow().score().orElseThrow();
        assertThat(fastScore.spread()).isEqualTo("0.9351");
        assertThat(fastScore.quota()).isEqualTo("1.0000");
        Score wideScore = decision.outcomeOf("wide").orElseThrow().score().orElseThrow();
        assertThat(wideScore.spread()).isEqualTo("0.3515"); // 2.00 / 154.20 over 2 %: 1 - 0.6485
        assertThat(fastScore.total()).isGreaterThan(wideScore.total());

        JsonNode json = JsonMapper.builder().build().readTree(decision.toJson());
        assertThat(json.get("winner").asText()).isEqualTo("fast");
        assertThat(json.get("pair").asText()).isEqualTo("USD/JPY");
        assertThat(json.get("amount").get("value").asText()).isEqualTo("250.00");
        assertThat(json.get("providers")).hasSize(6);
        assertThat(json.get("providers").findValuesAsText("outcome"))
                .containsExactly("timeout", "failed", "stale", "quota-exhausted", "answered", "answered");
        assertThat(json.at("/providers/5/score/spread").asText()).isEqualTo("0.9351");
        assertThat(json.at("/providers/5/rate/bid").asText()).isEqualTo("154.10");
        assertThat(json.at("/providers/2/rate/asOf").asText()).isEqualTo("2026-12-06T08:00:00Z");

        String text = decision.toText();
        assertThat(text).startsWith("USD/JPY for 250.00 USD, tier all, asked at 2026-12-06T10:00:00Z: winner fast\n");
        assertThat(text).contains("* fast: answered after ").contains("  slow: timeout after ").contains("  capped: quota-exhausted - all 1 calls");
        assertThat(text).contains("spread 0.9351, quota 1.0000)");
    }

    @Test
    void skipsAProviderWhoseBreakerOpenedAfterFailuresAndTriesItAgainLater() throws Exception {
        LocalHttpServer failing = server(exchange -> new Response(503, "text/plain", "unavailable"));
        LocalHttpServer good = priced("154.10", "154.30", "2026-12-06T09:59:50Z");
        BreakerSettings breakers = new BreakerSettings(50, 4, 2, Duration.ofSeconds(60), 1);
        router = router(List.of(ProviderSlot.of(json("failing", failing)), ProviderSlot.of(json("good", good))),
                AmountTiers.single(List.of("failing", "good")), RoutingPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(1)),
                breakers);

        router.route(USD_JPY, usd("10.00"));
        router.route(USD_JPY, usd("10.00"));
        assertThat(router.breaker("failing").getState()).isEqualTo(CircuitBreaker.State.OPEN);

        RoutingDecision skipped = router.route(USD_JPY, usd("10.00"));

        assertThat(skipped.outcomeOf("failing").orElseThrow().outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);
        assertThat(detail(skipped, "failing")).isEqualTo("circuit breaker is OPEN after a failure rate of 100.0 %");
        assertThat(failing.hits()).as("an open breaker keeps the call from being made").isEqualTo(2);
        assertThat(skipped.winner()).contains("good");
        assertThat(router.breaker("good").getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        clock.advance(Duration.ofSeconds(61)); // the open period ends by the router's clock
        failing.reply(exchange -> price("154.12", "154.28", "2026-12-06T10:00:59Z"));

        RoutingDecision retried = router.route(USD_JPY, usd("10.00"));

        assertThat(failing.hits()).isEqualTo(3);
        assertThat(retried.outcomeOf("failing").orElseThrow().outcome()).isEqualTo(Outcome.ANSWERED);
        assertThat(router.breaker("failing").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void routesSmallAndLargeAmountsToDifferentProviders() throws Exception {
        LocalHttpServer retail = priced("154.00", "154.40", "2026-12-06T09:59:50Z");
        LocalHttpServer wholesale = priced("154.18", "154.22", "2026-12-06T09:59:50Z");
        AmountTiers tiers = AmountTiers.of(List.of(
                AmountTiers.Tier.of("small", List.of("retail")),
                AmountTiers.Tier.of("large", List.of("wholesale")).from(USD, "10000.00").from(JPY, "1500000")));
        router = router(List.of(ProviderSlot.of(json("retail", retail)), ProviderSlot.of(json("wholesale", wholesale))),
                tiers, RoutingPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(1)), LENIENT);

        RoutingDecision small = router.route(USD_JPY, usd("9999.99"));
        assertThat(small.tier()).isEqualTo("small");
        assertThat(small.winner()).contains("retail");
        assertThat(small.outcomes()).extracting(ProviderOutcome::provider).containsExactly("retail");
        assertThat(wholesale.hits()).isZero();

        RoutingDecision large = router.route(USD_JPY, usd("10000.00"));
        assertThat(large.tier()).isEqualTo("large");
        assertThat(large.winner()).contains("wholesale");
        assertThat(retail.hits()).isEqualTo(1);

        RoutingDecision largeInJpy = router.route(USD_JPY, new Money(1_500_000, JPY));
        assertThat(largeInJpy.tier()).isEqualTo("large");
    }

    @Test
    void aQuotaComesBackInTheNextPeriod() throws Exception {
        LocalHttpServer capped = priced("154.10", "154.30", "2026-12-06T09:59:50Z");
        router = router(List.of(ProviderSlot.of(json("capped", capped)).withQuota(new Quota(2, Duration.ofHours(1)))),
                AmountTiers.single(List.of("capped")), RoutingPolicy.of(Duration.ofSeconds(2), Duration.ofHours(2)), LENIENT);

        RoutingDecision first = router.route(USD_JPY, usd("1.00"));
        assertThat(first.outcomeOf("capped").orElseThrow().score().orElseThrow().quota()).isEqualTo("0.5000");
        assertThat(router.route(USD_JPY, usd("1.00")).outcomeOf("capped").orElseThrow().score().orElseThrow().quota())
                .isEqualTo("0.0000");
        assertThat(router.route(USD_JPY, usd("1.00")).outcomeOf("capped").orElseThrow().outcome())
                .isEqualTo(Outcome.QUOTA_EXHAUSTED);

        clock.advance(Duration.ofHours(1));

        assertThat(router.route(USD_JPY, usd("1.00")).winner()).contains("capped");
        assertThat(capped.hits()).isEqualTo(3);
    }

    @Test
    void prefersTheFasterOfTwoEqualPrices() throws Exception {
        LocalHttpServer sluggish = server(exchange -> {
            Thread.sleep(400);
            return price("154.10", "154.30", "2026-12-06T09:59:50Z");
        });
        LocalHttpServer quick = priced("154.10", "154.30", "2026-12-06T09:59:50Z");
        router = router(List.of(ProviderSlot.of(json("sluggish", sluggish)), ProviderSlot.of(json("quick", quick))),
                AmountTiers.single(List.of("sluggish", "quick")), RoutingPolicy.of(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                LENIENT);

        RoutingDecision decision = router.route(USD_JPY, usd("1.00"));

        assertThat(decision.outcomes()).allMatch(o -> o.outcome() == Outcome.ANSWERED);
        assertThat(decision.outcomeOf("sluggish").orElseThrow().score().orElseThrow().latency()).isLessThan(new BigDecimal("0.6100"));
        assertThat(decision.winner()).contains("quick");
    }

    @Test
    void judgesAgeByTheProvidersOwnMaximum() throws Exception {
        LocalHttpServer ecbServer = server(exchange -> Response.xml(ecbDaily("2026-12-04", "USD", "1.0772", "JPY", "167.89")));
        EcbReferenceRates ecb = new EcbReferenceRates("ecb", URI.create(ecbServer.base() + "/eurofxref-daily.xml"), HTTP,
                Duration.ofSeconds(2), Duration.ofHours(1), clock, ISO);
        router = router(List.of(ProviderSlot.of(ecb).withMaxAge(Duration.ofDays(4))), AmountTiers.single(List.of("ecb")),
                RoutingPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(1)), LENIENT);

        RoutingDecision decision = router.route(USD_JPY, usd("1.00"));

        assertThat(decision.winningRate().orElseThrow().bid()).isEqualTo("155.857779428");
        // a reference rate has no spread: the best spread score
        assertThat(decision.outcomeOf("ecb").orElseThrow().score().orElseThrow().spread()).isEqualTo("1.0000");

        clock.advance(Duration.ofDays(2)); // 2026-12-08T10:00Z: the rates of 2026-12-04T15:00Z are 3 days 19 hours old, within 4 days
        assertThat(router.route(USD_JPY, usd("1.00")).winner()).contains("ecb");
        clock.advance(Duration.ofDays(1));
        assertThat(router.route(USD_JPY, usd("1.00")).outcomeOf("ecb").orElseThrow().outcome()).isEqualTo(Outcome.STALE);
    }

    @Test
    void aPairNotOfferedDoesNotCountAgainstTheBreaker() throws Exception {
        Path file = Files.createTempFile("rates", ".csv");
        Files.writeString(file, "base,quote,bid,ask\nEUR,USD,1.0790,1.0810\n");
        CsvRateTable table = CsvRateTable.load("table", file, ISO, clock);
        router = router(List.of(ProviderSlot.of(table)), AmountTiers.single(List.of("table")),
                RoutingPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(1)), new BreakerSettings(50, 2, 2, Duration.ofSeconds(60), 1));

        for (int i = 0; i < 3; i++) {
            RoutingDecision decision = router.route(USD_JPY, usd("1.00"));
            assertThat(decision.outcomeOf("table").orElseThrow().outcome()).isEqualTo(Outcome.FAILED);
            assertThat(detail(decision, "table")).isEqualTo("table does not offer USD/JPY");
        }

        assertThat(router.breaker("table").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(router.breaker("table").getMetrics().getNumberOfFailedCalls()).isZero();
        Files.delete(file);
    }

    @Test
    void refusesWhenNoProviderAnswers() throws Exception {
        LocalHttpServer failing = server(exchange -> new Response(500, "text/plain", "x"));
        router = router(List.of(ProviderSlot.of(json("failing", failing))), AmountTiers.single(List.of("failing")),
                RoutingPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(1)), LENIENT);

        assertThatThrownBy(() -> router.best(USD_JPY, usd("1.00")))
                .isInstanceOfSatisfying(NoRateAvailable.class, e -> {
                    assertThat(e.code()).isEqualTo(FxRejectionCode.RATE_UNAVAILABLE);
                    assertThat(e.decision().winner()).isEmpty();
                    assertThat(e.decision().toText()).contains("no provider answered");
                    assertThat(e.decision().toJsonNode().get("winner").isNull()).isTrue();
                })
                .hasMessage("no rate for USD/JPY: failing failed");
    }

    @Test
    void refusesATierNamingAnUnknownProviderOrTwoProvidersOfOneName() throws Exception {
        LocalHttpServer any = priced("1", "2", "2026-12-06T09:59:50Z");
        assertThatThrownBy(() -> router(List.of(ProviderSlot.of(json("a", any))), AmountTiers.single(List.of("b")),
                RoutingPolicy.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), LENIENT))
                .hasMessage("router: a tier names \"b\", which is not a configured provider");
        assertThatThrownBy(() -> router(List.of(ProviderSlot.of(json("a", any)), ProviderSlot.of(json("a", any))),
                AmountTiers.single(List.of("a")), RoutingPolicy.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), LENIENT))
                .hasMessage("router: two providers are named \"a\"");
    }

    private RateRouter router(List<ProviderSlot> slots, AmountTiers tiers, RoutingPolicy policy, BreakerSettings breakers) {
        return new RateRouter(slots, tiers, policy, breakers, clock);
    }

    private LocalHttpServer priced(String bid, String ask, String time) throws Exception {
        return server(exchange -> price(bid, ask, time));
    }

    private LocalHttpServer server(LocalHttpServer.Reply reply) throws Exception {
        LocalHttpServer server = LocalHttpServer.start(reply);
        servers.add(server);
        return server;
    }

    private static Response price(String bid, String ask, String time) {
        return Response.json("{\"bid\":\"" + bid + "\",\"ask\":\"" + ask + "\",\"time\":\"" + time + "\"}");
    }

    private static HttpJsonRateProvider json(String name, LocalHttpServer server) {
        return new HttpJsonRateProvider(new HttpJsonSettings(name, server.base() + "/{base}/{quote}", "/bid", "/ask", "/time",
                HttpJsonSettings.TimeFormat.ISO_8601, Duration.ofSeconds(5), Map.of()), HTTP);
    }

    private static String detail(RoutingDecision decision, String provider) {
        return decision.outcomeOf(provider).map(ProviderOutcome::detail).orElseThrow();
    }

    private static Money usd(String amount) {
        return Money.parsePositive(amount, USD);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    static String ecbDaily(String date, String... currencyRates) {
        StringBuilder cubes = new StringBuilder();
        for (int i = 0; i < currencyRates.length; i += 2) {
            cubes.append("<Cube currency='").append(currencyRates[i]).append("' rate='").append(currencyRates[i + 1]).append("'/>");
        }
        return "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" "
                + "xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\"><Cube><Cube time='" + date + "'>"
                + cubes + "</Cube></Cube></gesmes:Envelope>";
    }
}
