package ledger.fx.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import ledger.domain.money.Currencies;
import ledger.fx.provider.HttpJsonSettings.TimeFormat;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RateProviderException;
import ledger.fx.support.LocalHttpServer;
import ledger.fx.support.LocalHttpServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/fx.md, "HTTP JSON providers", against a real local server. */
class HttpJsonRateProviderTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyPair USD_JPY = new CurrencyPair(ISO.resolve("USD"), ISO.resolve("JPY"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readsBidAskAndTimeByJsonPointerFromTheTemplatedUrl() throws Exception {
        server = LocalHttpServer.start(exchange -> Response.json(
                "{\"data\":{\"price\":{\"bid\":154.10,\"ask\":\"154.30\"},\"at\":\"2026-12-06T09:59:58Z\"}}"));
        HttpJsonRateProvider provider = provider("/v1/rates?from={base}&to={quote}", "/data/price/bid", "/data/price/ask",
                "/data/at", TimeFormat.ISO_8601, Duration.ofSeconds(2), Map.of("X-Api-Key", "k-123"));

        ProviderRate rate = provider.rate(USD_JPY);

        assertThat(rate.bid()).isEqualTo("154.10");
        assertThat(rate.ask()).isEqualTo("154.30");
        assertThat(rate.asOf()).isEqualTo(Instant.parse("2026-12-06T09:59:58Z"));
        assertThat(server.requests()).extracting(Object::toString).containsExactly("/v1/rates?from=USD&to=JPY");
        assertThat(server.apiKeys()).containsExactly("k-123");
    }

    @Test
    void readsNumbersExactlyAndRoundsOverPreciseOnesOutward() throws Exception {
        server = LocalHttpServer.start(exchange -> Response.json(
                "{\"b\":0.1234567890123456789,\"a\":0.1234567890129999,\"t\":1796637600}"));
        HttpJsonRateProvider provider = provider("/{base}/{quote}", "/b", "/a", "/t", TimeFormat.EPOCH_SECONDS,
                Duration.ofSeconds(2), Map.of());

        ProviderRate rate = provider.rate(USD_JPY);

        // 12 significant digits: the bid rounded down, the ask up; no double ever held them
        assertThat(rate.bid()).isEqualTo("0.123456789012");
        assertThat(rate.ask()).isEqualTo("0.123456789013");
        assertThat(rate.asOf()).isEqualTo(Instant.ofEpochSecond(1796637600));
    }

    @Test
    void readsEpochMilliseconds() throws Exception {
        server = LocalHttpServer.start(exchange -> Response.json("{\"b\":1.5,\"a\":1.6,\"t\":\"1796637600123\"}"));
        ProviderRate rate = provider("/{base}/{quote}", "/b", "/a", "/t", TimeFormat.EPOCH_MILLIS, Duration.ofSeconds(2), Map.of())
                .rate(USD_JPY);

        assertThat(rate.asOf()).isEqualTo(Instant.ofEpochMilli(1796637600123L));
    }

    @Test
    void failsOnAnHttpError() throws Exception {
        server = LocalHttpServer.start(exchange -> new Response(502, "text/plain", "bad gateway"));
        HttpJsonRateProvider provider = standard(Duration.ofSeconds(2));

        assertThatThrownBy(() -> provider.rate(USD_JPY))
                .isInstanceOf(RateProviderException.class)
                .hasMessage("dealer: HTTP 502 from " + server.base() + "/USD/JPY");
    }

    @Test
    void failsOnAnAnswerThatIsNotJsonNamingWhere() throws Exception {
        server = LocalHttpServer.start(exchange -> Response.json("{\"bid\": 1.0,\n \"ask\": oops}"));

        assertThatThrownBy(() -> standard(Duration.ofSeconds(2)).rate(USD_JPY))
                .hasMessageContaining("is not JSON")
                .hasMessageContaining("at line 2, column");
    }

    @Test
    void failsOnAMissingOrWrongField() throws Exception {
        server = LocalHttpServer.start(exchange -> Response.json("{\"bid\":1.0,\"time\":\"2026-12-06T10:00:00Z\"}"));
        assertThatThrownBy(() -> standard(Duration.ofSeconds(2)).rate(USD_JPY))
                .hasMessage("dealer: the answer from " + server.base() + "/USD/JPY has nothing at /ask");

        server.reply(exchange -> Response.json("{\"bid\":true,\"ask\":1,\"time\":\"2026-12-06T10:00:00Z\"}"));
        assertThatThrownBy(() -> standard(Duration.ofSeconds(2)).rate(USD_JPY))
                .hasMessageEndingWith("has true at /bid, expected a positive decimal number");

        server.reply(exchange -> Response.json("{\"bid\":2,\"ask\":1,\"time\":\"2026-12-06T10:00:00Z\"}"));
        assertThatThrownBy(() -> standard(Duration.ofSeconds(2)).rate(USD_JPY))
                .hasMessageEndingWith("answered ask 1 is below bid 2");

        server.reply(exchange -> Response.json("{\"bid\":1,\"ask\":2,\"time\":\"yesterday\"}"));
        assertThatThrownBy(() -> standard(Duration.ofSeconds(2)).rate(USD_JPY))
                .hasMessageEndingWith("has \"yesterday\" at /time, not a time as ISO_8601");
    }

    @Test
    void givesUpAfterItsTimeout() throws Exception {
        server = LocalHttpServer.start(exchange -> {
            Thread.sleep(3_000);
            return Response.json("{}");
        });
        long start = System.nanoTime();

        assertThatThrownBy(() -> standard(Duration.ofMillis(200)).rate(USD_JPY))
                .hasMessage("dealer: no answer from " + server.base() + "/USD/JPY within PT0.2S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> new HttpJsonSettings("x", "http://h/rates", "/b", "/a", "/t", TimeFormat.ISO_8601,
                Duration.ofSeconds(1), Map.of())).hasMessage("x: urlTemplate must contain {base} and {quote}: http://h/rates");
        assertThatThrownBy(() -> new HttpJsonSettings("x", "http://h/{base} {quote}", "/b", "/a", "/t", TimeFormat.ISO_8601,
                Duration.ofSeconds(1), Map.of())).hasMessageStartingWith("x: urlTemplate is not a valid URL: Illegal character");
        assertThatThrownBy(() -> new HttpJsonSettings("x", "http://h/{base}/{quote}", "b", "/a", "/t", TimeFormat.ISO_8601,
                Duration.ofSeconds(1), Map.of())).hasMessageStartingWith("x: bidPointer \"b\" is not a JSON Pointer");
        assertThatThrownBy(() -> new HttpJsonSettings("x", "http://h/{base}/{quote}", "/b", "/a", "/t", TimeFormat.ISO_8601,
                Duration.ZERO, Map.of())).hasMessageStartingWith("x: timeout must be above zero");
    }

    private HttpJsonRateProvider standard(Duration timeout) {
        return provider("/{base}/{quote}", "/bid", "/ask", "/time", TimeFormat.ISO_8601, timeout, Map.of());
    }

    private HttpJsonRateProvider provider(String path, String bid, String ask, String time, TimeFormat format,
                                          Duration timeout, Map<String, String> headers) {
        return new HttpJsonRateProvider(new HttpJsonSettings("dealer", server.base() + path, bid, ask, time, format,
                timeout, headers), HTTP);
    }
}
