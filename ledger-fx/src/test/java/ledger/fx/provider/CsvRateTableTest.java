package ledger.fx.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import ledger.domain.money.Currencies;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.PairNotOffered;
import ledger.fx.rate.ProviderRate;
import ledger.fx.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rates file of docs/fx.md, "The rates file". */
class CsvRateTableTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyPair USD_JPY = pair("USD", "JPY");

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-12-06T10:00:00Z");

    @Test
    void answersAConfiguredPairAtTheClocksInstant() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\nUSD,JPY,154.10,154.30\nEUR,USD,1.0790,1.0810\n");

        ProviderRate rate = table.rate(USD_JPY);

        assertThat(rate.bid()).isEqualByComparingTo("154.10");
        assertThat(rate.ask()).isEqualByComparingTo("154.30");
        assertThat(rate.asOf()).isEqualTo(clock.instant());
        assertThat(rate.provider()).isEqualTo("table");
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void answersTheInverseDirectionByRuleOutward() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\nUSD,JPY,154.10,154.30\n");

        ProviderRate rate = table.rate(pair("JPY", "USD"));

        // 1/154.30 = 0.006480881399870..., rounded down; 1/154.10 = 0.006489292667099..., rounded up
        assertThat(rate.bid()).isEqualByComparingTo("0.00648088139987");
        assertThat(rate.ask()).isEqualByComparingTo("0.00648929266710");
        assertThat(rate.pair()).isEqualTo(pair("JPY", "USD"));
    }

    @Test
    void refusesAPairItDoesNotHold() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\nUSD,JPY,154.10,154.30\n");

        assertThatThrownBy(() -> table.rate(pair("EUR", "GBP")))
                .isInstanceOf(PairNotOffered.class)
                .hasMessage("table does not offer EUR/GBP");
    }

    @Test
    void reloadsWhenTheFileIsRewritten() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\nUSD,JPY,154.10,154.30\n");

        rewrite("base,quote,bid,ask\nUSD,JPY,155.00,155.40\nUSD,BHD,0.376,0.377\n");

        assertThat(table.rate(USD_JPY).bid()).isEqualByComparingTo("155.00");
        assertThat(table.rate(pair("USD", "BHD")).ask()).isEqualByComparingTo("0.377");
        assertThat(table.lastReloadFailure()).isEmpty();
    }

    @Test
    void seesARewriteOfTheSameSizeWithinTheSameTimestamp() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\nUSD,JPY,154.10,154.30\n");
        Path file = dir.resolve("rates.csv");
        FileTime loaded = Files.getLastModifiedTime(file);

        Files.writeString(file, "base,quote,bid,ask\nUSD,JPY,155.10,155.30\n");
        Files.setLastModifiedTime(file, loaded); // a coarse file-system clock would show no change

        assertThat(table.rate(USD_JPY).bid()).isEqualByComparingTo("155.10");
    }

    @Test
    void keepsThePreviousTableWhenARewrittenLineIsMalformed() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\nUSD,JPY,154.10,154.30\n");

        rewrite("base,quote,bid,ask\nUSD,JPY,155.00,155.40\nEUR,USD,1.07,abc\n");

        assertThat(table.rate(USD_JPY).bid()).isEqualByComparingTo("154.10");
        assertThat(table.lastReloadFailure()).hasValueSatisfying(why -> assertThat(why)
                .contains("line 3: column ask: \"abc\" is not a plain decimal number")
                .endsWith("the previous table stays in force"));

        rewrite("base,quote,bid,ask\nUSD,JPY,156.00,156.40\n");

        assertThat(table.rate(USD_JPY).bid()).isEqualByComparingTo("156.00");
        assertThat(table.lastReloadFailure()).isEmpty();
    }

    @Test
    void keepsThePreviousTableWhenTheFileDisappears() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\nUSD,JPY,154.10,154.30\n");

        Files.delete(dir.resolve("rates.csv"));

        assertThat(table.rate(USD_JPY).bid()).isEqualByComparingTo("154.10");
        assertThat(table.lastReloadFailure()).hasValueSatisfying(why -> assertThat(why).contains("cannot be read"));
    }

    @Test
    void countsCommentAndBlankLinesInLineNumbers() throws Exception {
        assertRefused("# rates of the morning\nbase,quote,bid,ask\n\nUSD,JPY,154.10,154.30\n# next\n\nEUR,USD,1.2,1.1\n",
                7, "ask 1.1 is below bid 1.2");
    }

    @Test
    void refusesEachKindOfBadLineWithItsNumberAndReason() throws Exception {
        assertRefused("", 1, "the header is missing; expected base,quote,bid,ask");
        assertRefused("base,quote,rate\nUSD,JPY,1\n", 1, "the header is \"base,quote,rate\" but must be base,quote,bid,ask");
        assertRefused("base,quote,bid,ask\nUSD,JPY,154.10\n", 2, "3 fields, expected 4 (base,quote,bid,ask)");
        assertRefused("base,quote,bid,ask\nUSD,XYZ,1,2\n", 2, "column quote: unknown currency: \"XYZ\"");
        assertRefused("base,quote,bid,ask\nUSD,USD,1,1\n", 2, "base and quote are both USD");
        assertRefused("base,quote,bid,ask\nUSD,JPY,-1,2\n", 2, "column bid: \"-1\" is not a plain decimal number such as 154.10");
        assertRefused("base,quote,bid,ask\nUSD,JPY,1e2,2\n", 2, "column bid: \"1e2\" is not a plain decimal number such as 154.10");
        assertRefused("base,quote,bid,ask\nUSD,JPY,0,2\n", 2, "bid 0 is not positive");
        assertRefused("base,quote,bid,ask\nUSD,JPY,154.1234567890123,154.30\n", 2,
                "bid 154.1234567890123 has 16 significant digits, at most 12 are allowed");
        assertRefused("base,quote,bid,ask\nUSD,JPY,1,2\nEUR,USD,1,2\nUSD,JPY,1,2\n", 4, "USD/JPY is already defined on line 2");
        assertRefused("base,quote,bid,ask\nUSD,JPY,1,2\nJPY,USD,1,2\n", 3,
                "JPY/USD is the inverse of USD/JPY on line 2; give one direction only");
    }

    @Test
    void acceptsQuotedFieldsAndSurroundingSpaces() throws Exception {
        CsvRateTable table = load("base,quote,bid,ask\n\"USD\", JPY , \"154.10\",154.30\n");

        assertThat(table.rate(USD_JPY).bid()).isEqualByComparingTo("154.10");
    }

    @Test
    void refusesAMalformedFileAtStartSinceThereIsNothingToKeep() throws IOException {
        Path file = write("base,quote,bid,ask\nUSD,JPY,x,1\n");

        assertThatThrownBy(() -> CsvRateTable.load("table", file, ISO, clock))
                .isInstanceOf(RateTableFormatException.class)
                .hasMessage(file + " line 2: column bid: \"x\" is not a plain decimal number such as 154.10")
                .extracting(e -> ((RateTableFormatException) e).line()).isEqualTo(2);
    }

    private void assertRefused(String content, int line, String why) throws IOException {
        Path file = write(content);
        assertThatThrownBy(() -> CsvRateTable.load("table", file, ISO, clock))
                .isInstanceOf(RateTableFormatException.class)
                .hasMessage(file + " line " + line + ": " + why);
    }

    private CsvRateTable load(String content) throws Exception {
        return CsvRateTable.load("table", write(content), ISO, clock);
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("rates.csv"), content);
    }

    /** Rewrites the file and moves its modification time on, as an editor saving it later would. */
    private void rewrite(String content) throws IOException {
        Path file = dir.resolve("rates.csv");
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(1)));
    }

    private static CurrencyPair pair(String base, String quote) {
        return new CurrencyPair(ISO.resolve(base), ISO.resolve(quote));
    }

}
