package ledger.fx.quote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejection;
import ledger.fx.FxRejectionCode;
import ledger.fx.FxSettings;
import ledger.fx.convert.Conversion;
import ledger.fx.provider.CsvRateTable;
import ledger.fx.route.AmountTiers;
import ledger.fx.route.BreakerSettings;
import ledger.fx.route.NoRateAvailable;
import ledger.fx.route.ProviderSlot;
import ledger.fx.route.RateRouter;
import ledger.fx.route.RoutingPolicy;
import ledger.fx.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/fx.md, "Quotes": a real rates file behind a real router. */
class QuoteBookTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyCode USD = ISO.resolve("USD");
    private static final CurrencyCode JPY = ISO.resolve("JPY");
    private static final CurrencyCode EUR = ISO.resolve("EUR");
    private static final CurrencyCode GBP = ISO.resolve("GBP");

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-12-06T10:00:00Z");
    private final AtomicLong sequence = new AtomicLong();
    private final Supplier<UUID> ids = () -> new UUID(0, sequence.incrementAndGet());
    private Path ratesFile;
    private RateRouter router;

    @BeforeEach
    void start() throws Exception {
        ratesFile = Files.writeString(dir.resolve("rates.csv"), "base,quote,bid,ask\nUSD,JPY,154.10,154.30\n");
        FxSettings settings = FxSettings.fromEnvironment(Map.of(FxSettings.RATES_FILE, ratesFile.toString()));
        CsvRateTable table = CsvRateTable.load("table", settings.ratesFile().orElseThrow(), ISO, clock);
        router = new RateRouter(List.of(ProviderSlot.of(table)), AmountTiers.single(List.of("table")),
                RoutingPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(1)), BreakerSettings.defaults(), clock);
    }

    @AfterEach
    void stop() {
        router.close();
    }

    @Test
    void issuesAQuoteLockedForTheConfiguredTtl() {
        FxSettings settings = FxSettings.fromEnvironment(Map.of(FxSettings.QUOTE_TTL, "45s"));
        QuoteBook book = new QuoteBook(router, settings.quoteTtl(), clock, ids, 100);

        Quote quote = book.issue(USD, JPY, usd("100.00"));

        assertThat(quote.id()).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(quote.from()).isEqualTo(USD);
        assertThat(quote.to()).isEqualTo(JPY);
        assertThat(quote.rate()).isEqualTo("154.10");
        assertThat(quote.bid()).isEqualTo("154.10");
        assertThat(quote.ask()).isEqualTo("154.30");
        assertThat(quote.mid()).isEqualTo("154.20");
        assertThat(quote.provider()).isEqualTo("table");
        assertThat(quote.obtainedAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(quote.expiresAt()).isEqualTo(Instant.parse("2026-12-06T10:00:45Z"));
        assertThat(quote.decision().winner()).contains("table");
        assertThat(book.find(quote.id())).isEqualTo(quote);
    }

    @Test
    void refusesAQuoteFromTheMomentItExpires() {
        QuoteBook book = new QuoteBook(router, Duration.ofSeconds(30), clock, ids, 100);
        Quote quote = book.issue(USD, JPY, usd("100.00"));

        clock.advance(Duration.ofMillis(29_999));
        assertThat(book.sell(quote.id(), usd("100.00")).destination()).isEqualTo(new Money(15_410, JPY));

        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> book.find(quote.id()))
                .isInstanceOfSatisfying(FxRejection.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.QUOTE_EXPIRED))
                .hasMessage("quote " + quote.id() + " expired at 2026-12-06T10:00:30Z; it is now 2026-12-06T10:00:30Z");
        assertThatThrownBy(() -> book.sell(quote.id(), usd("1.00"))).isInstanceOf(FxRejection.class);
    }

    @Test
    void keepsTheLockedRateWhenTheTableChanges() throws Exception {
        QuoteBook book = new QuoteBook(router, Duration.ofSeconds(30), clock, ids, 100);
        Quote locked = book.issue(USD, JPY, usd("100.00"));

        FileTime before = Files.getLastModifiedTime(ratesFile);
        Files.writeString(ratesFile, "base,quote,bid,ask\nUSD,JPY,160.00,160.20\n");
        Files.setLastModifiedTime(ratesFile, FileTime.from(before.toInstant().plusSeconds(1)));
        Quote fresh = book.issue(USD, JPY, usd("100.00"));

        assertThat(book.sell(locked.id(), usd("100.00")).destination()).isEqualTo(new Money(15_410, JPY));
        assertThat(book.sell(fresh.id(), usd("100.00")).destination()).isEqualTo(new Money(16_000, JPY));
    }

    @Test
    void convertsBothWaysAtTheQuote() {
        QuoteBook book = new QuoteBook(router, Duration.ofSeconds(30), clock, ids, 100);
        Quote quote = book.issue(USD, JPY, new Money(10_000, JPY));

        Conversion bought = book.buy(quote.id(), new Money(10_000, JPY));

        assertThat(bought.source()).isEqualTo(usd("64.90"));
        assertThat(bought.destination()).isEqualTo(new Money(10_000, JPY));
        assertThat(bought.midRate()).isEqualTo("154.20");
    }

    @Test
    void refusesAmountsInTheWrongCurrency() {
        QuoteBook book = new QuoteBook(router, Duration.ofSeconds(30), clock, ids, 100);
        Quote quote = book.issue(USD, JPY, usd("1.00"));

        assertThatThrownBy(() -> book.sell(quote.id(), new Money(100, JPY)))
                .isInstanceOfSatisfying(FxRejection.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.CURRENCY_MISMATCH))
                .hasMessage("the amount to convert is in JPY but quote " + quote.id() + " converts USD into JPY");
        assertThatThrownBy(() -> book.buy(quote.id(), usd("1.00")))
                .hasMessage("the amount to receive is in USD but quote " + quote.id() + " converts USD into JPY");
        assertThatThrownBy(() -> book.issue(USD, JPY, new Money(100, EUR)))
                .hasMessage("the amount is in EUR, neither USD nor JPY");
        assertThatThrownBy(() -> book.issue(USD, USD, usd("1.00")))
                .hasMessage("a quote converts between two currencies, got USD twice");
    }

    @Test
    void refusesAnUnknownQuoteAndAPairNoProviderOffers() {
        QuoteBook book = new QuoteBook(router, Duration.ofSeconds(30), clock, ids, 100);

        assertThatThrownBy(() -> book.find("nope"))
                .isInstanceOfSatisfying(FxRejection.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.QUOTE_NOT_FOUND));
        assertThatThrownBy(() -> book.issue(EUR, GBP, new Money(100, EUR)))
                .isInstanceOfSatisfying(NoRateAvailable.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.RATE_UNAVAILABLE))
                .hasMessage("no rate for EUR/GBP: table failed");
    }

    @Test
    void makesRoomByDroppingExpiredQuotesOnly() {
        QuoteBook book = new QuoteBook(router, Duration.ofSeconds(30), clock, ids, 2);
        Quote first = book.issue(USD, JPY, usd("1.00"));
        clock.advance(Duration.ofSeconds(10));
        book.issue(USD, JPY, usd("1.00"));

        assertThatThrownBy(() -> book.issue(USD, JPY, usd("1.00")))
                .isInstanceOfSatisfying(FxRejection.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.QUOTE_BOOK_FULL));

        clock.advance(Duration.ofSeconds(21)); // the first has expired, the second has not
        book.issue(USD, JPY, usd("1.00"));

        assertThat(book.size()).isEqualTo(2);
        assertThatThrownBy(() -> book.find(first.id()))
                .isInstanceOfSatisfying(FxRejection.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.QUOTE_NOT_FOUND));
    }

    private static Money usd(String amount) {
        return Money.parsePositive(amount, USD);
    }
}
