package ledger.fx.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import ledger.domain.money.Currencies;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.PairNotOffered;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RateProviderException;
import ledger.fx.support.LocalHttpServer;
import ledger.fx.support.LocalHttpServer.Response;
import ledger.fx.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/fx.md, "ECB reference rates". */
class EcbReferenceRatesTest {
    private static final Currencies ISO = Currencies.iso();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-12-04T18:00:00Z");
    private LocalHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void givesEurRatesAsPublishedWithoutSpread() throws Exception {
        EcbReferenceRates ecb = fromFile(daily("2026-12-04", "USD", "1.0772", "JPY", "167.89", "GBP", "0.86048"));

        ProviderRate rate = ecb.rate(pair("EUR", "USD"));

        assertThat(rate.bid()).isEqualByComparingTo("1.0772");
        assertThat(rate.ask()).isEqualTo(rate.bid());
        // the date means 16:00 in Frankfurt, 15:00 UTC in winter
        assertThat(rate.asOf()).isEqualTo(Instant.parse("2026-12-04T15:00:00Z"));
    }

    @Test
    void crossesThroughEurToTwelveSignificantDigitsHalfEven() throws Exception {
        EcbReferenceRates ecb = fromFile(daily("2026-12-04", "USD", "1.0772", "JPY", "167.89", "GBP", "0.86048"));

        ProviderRate usdJpy = ecb.rate(pair("USD", "JPY"));
        ProviderRate usdEur = ecb.rate(pair("USD", "EUR"));

        // 167.89 / 1.0772 = 155.857779428147... and 1 / 1.0772 = 0.928332714444857...
        assertThat(usdJpy.bid()).isEqualTo(new BigDecimal("155.857779428"));
        assertThat(usdJpy.bid()).isEqualTo(new BigDecimal("167.89").divide(new BigDecimal("1.0772"),
                new MathContext(12, RoundingMode.HALF_EVEN)));
        assertThat(usdEur.bid()).isEqualTo(new BigDecimal("0.928332714445"));
        assertThat(usdJpy.ask()).isEqualTo(usdJpy.bid());
    }

    @Test
    void refusesACurrencyTheDocumentDoesNotList() throws Exception {
        EcbReferenceRates ecb = fromFile(daily("2026-12-04", "USD", "1.0772"));

        assertThatThrownBy(() -> ecb.rate(pair("USD", "BHD"))).isInstanceOf(PairNotOffered.class);
    }

    @Test
    void ignoresCurrenciesTheLedgerDoesNotHold() throws Exception {
        EcbReferenceRates ecb = fromFile(daily("2026-12-04", "USD", "1.0772", "QQQ", "3.5"));

        assertThat(ecb.current().ignoredCurrencies()).containsExactly("QQQ");
        assertThat(ecb.rate(pair("EUR", "USD")).bid()).isEqualByComparingTo("1.0772");
    }

    @Test
    void fetchesOverHttpAndAgainOnlyAfterTheRefreshPeriod() throws Exception {
        server = LocalHttpServer.start(exchange -> Response.xml(daily("2026-12-04", "USD", "1.0772")));
        EcbReferenceRates ecb = overHttp(Duration.ofHours(1));

        assertThat(ecb.rate(pair("EUR", "USD")).bid()).isEqualByComparingTo("1.0772");
        assertThat(ecb.rate(pair("USD", "EUR")).bid()).isEqualByComparingTo("0.928332714445");
        assertThat(server.hits()).isEqualTo(1);

        server.reply(exchange -> Response.xml(daily("2026-12-05", "USD", "1.0800")));
        clock.advance(Duration.ofMinutes(61));

        ProviderRate next = ecb.rate(pair("EUR", "USD"));
        assertThat(next.bid()).isEqualByComparingTo("1.0800");
        assertThat(next.asOf()).isEqualTo(Instant.parse("2026-12-05T15:00:00Z"));
        assertThat(server.hits()).isEqualTo(2);
    }

    @Test
    void keepsTheRatesItHasWhenARefreshFails() throws Exception {
        server = LocalHttpServer.start(exchange -> Response.xml(daily("2026-12-04", "USD", "1.0772")));
        EcbReferenceRates ecb = overHttp(Duration.ofMinutes(5));
        ecb.rate(pair("EUR", "USD"));

        server.reply(exchange -> new Response(503, "text/plain", "maintenance"));
        clock.advance(Duration.ofMinutes(6));

        assertThat(ecb.rate(pair("EUR", "USD")).bid()).isEqualByComparingTo("1.0772");
        assertThat(ecb.lastFailure()).hasValueSatisfying(why -> assertThat(why).contains("HTTP 503 from " + server.base()));
    }

    @Test
    void failsWhenTheFirstFetchFails() throws Exception {
        server = LocalHttpServer.start(exchange -> new Response(500, "text/plain", "down"));
        EcbReferenceRates ecb = overHttp(Duration.ofMinutes(5));

        assertThatThrownBy(() -> ecb.rate(pair("EUR", "USD")))
                .isInstanceOf(RateProviderException.class)
                .hasMessage("ecb: HTTP 500 from " + server.base() + "/eurofxref-daily.xml");
    }

    @Test
    void refusesABadRateNamingLineAndColumn() throws Exception {
        String xml = daily("2026-12-04", "USD", "1.0772", "JPY", "16x.89");
        EcbReferenceRates ecb = fromFile(xml);

        assertThatThrownBy(ecb::current)
                .isInstanceOf(RateProviderException.class)
                .hasMessageEndingWith("eurofxref-daily.xml line 10, column 40: Cube currency=\"JPY\" has rate=\"16x.89\", not a plain decimal");
    }

    @Test
    void refusesAHistoryDocumentWithSeveralDates() throws Exception {
        String xml = daily("2026-12-04", "USD", "1.0772").replace("\t\t</Cube>\n",
                "\t\t</Cube>\n\t\t<Cube time=\"2026-12-03\"><Cube currency=\"USD\" rate=\"1.07\"/></Cube>\n");
        EcbReferenceRates ecb = fromFile(xml);

        assertThatThrownBy(ecb::current)
                .hasMessageContaining("line 11, column 27")
                .hasMessageEndingWith("a second Cube time=\"2026-12-03\"; a daily document has one date");
    }

    @Test
    void refusesADocumentWithoutADateOrNotInTheEcbNamespace() throws Exception {
        EcbReferenceRates noNamespace = fromFile(daily("2026-12-04", "USD", "1.0772")
                .replace("http://www.ecb.int/vocabulary/2002-08-01/eurofxref", "urn:other"));
        assertThatThrownBy(noNamespace::current).hasMessageContaining("has no Cube time=\"…\" element in namespace");

        EcbReferenceRates brokenXml = fromFile("<gesmes:Envelope");
        assertThatThrownBy(brokenXml::current).hasMessageContaining("is not well-formed XML");
    }

    @Test
    void refusesASourceThatIsNeitherHttpNorFile() {
        assertThatThrownBy(() -> new EcbReferenceRates("ecb", URI.create("ftp://example/x.xml"), HTTP, Duration.ofSeconds(1),
                Duration.ofHours(1), clock, ISO)).hasMessageContaining("must be an http, https or file URI");
    }

    private EcbReferenceRates fromFile(String xml) throws Exception {
        Path file = Files.writeString(dir.resolve("eurofxref-daily.xml"), xml);
        return new EcbReferenceRates("ecb", file.toUri(), HTTP, Duration.ofSeconds(2), Duration.ofHours(1), clock, ISO);
    }

    private EcbReferenceRates overHttp(Duration refreshAfter) {
        return new EcbReferenceRates("ecb", URI.create(server.base() + "/eurofxref-daily.xml"), HTTP,
                Duration.ofSeconds(2), refreshAfter, clock, ISO);
    }

    /** A document in the eurofxref-daily.xml layout: line 8 is the first currency. */
    static String daily(String date, String... currencyRates) {
        StringBuilder cubes = new StringBuilder();
        for (int i = 0; i < currencyRates.length; i += 2) {
            cubes.append("\t\t\t<Cube currency='").append(currencyRates[i]).append("' rate='")
                    .append(currencyRates[i + 1]).append("'/>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" "
                + "xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\">\n"
                + "\t<gesmes:subject>Reference rates</gesmes:subject>\n"
                + "\t<gesmes:Sender>\n\t\t<gesmes:name>European Central Bank</gesmes:name>\n\t</gesmes:Sender>\n"
                + "\t<Cube>\n"
                + "\t\t<Cube time='" + date + "'>\n"
                + cubes
                + "\t\t</Cube>\n"
                + "\t</Cube>\n"
                + "</gesmes:Envelope>\n";
    }

    private static CurrencyPair pair(String base, String quote) {
        return new CurrencyPair(ISO.resolve(base), ISO.resolve(quote));
    }
}
