package ledger.fx.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejection;
import ledger.fx.FxRejectionCode;
import org.junit.jupiter.api.Test;

/** Worked examples of docs/fx.md, "Conversion". */
class ConverterTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyCode USD = ISO.resolve("USD");
    private static final CurrencyCode JPY = ISO.resolve("JPY");
    private static final CurrencyCode BHD = ISO.resolve("BHD");

    @Test
    void sellsAtTheCustomerRateAndCountsTheSpreadAgainstMid() {
        Conversion c = Converter.sell(Money.parsePositive("100.00", USD), JPY, dec("154.10"), dec("154.20"));

        assertThat(c.destination()).isEqualTo(new Money(15_410, JPY));
        assertThat(c.roundingDifference().value()).isEqualByComparingTo("0");
        assertThat(c.spreadRevenue()).isEqualTo(new ExactAmount(dec("10.0000"), JPY));
        assertThat(c.valueAtMid()).isEqualTo(new Money(15_420, JPY));
        assertThat(c.spreadRevenuePosted()).isEqualTo(new Money(10, JPY));
        assertThat(c.roundingPosted()).isEqualTo(new Money(0, JPY));
        assertThat(c.rule()).isEqualTo(RoundingRule.DESTINATION_HALF_EVEN);
    }

    @Test
    void roundsTheDestinationHalfEvenAndKeepsTheDifferenceExact() {
        Conversion c = Converter.sell(Money.parsePositive("1.23", USD), JPY, dec("154.17"), dec("154.20"));

        // 1.23 × 154.17 = 189.6291 → 190 JPY; the house gives 0.3709 JPY more than the exact value
        assertThat(c.exactValue()).isEqualTo(new ExactAmount(dec("189.6291"), JPY));
        assertThat(c.destination()).isEqualTo(new Money(190, JPY));
        assertThat(c.roundingDifference().value()).isEqualByComparingTo("-0.3709");
        assertThat(c.spreadRevenue().value()).isEqualByComparingTo("0.0369");
        // 1.23 × 154.20 = 189.666 → 190 = 190 + 0 + 0
        assertThat(c.valueAtMid()).isEqualTo(new Money(190, JPY));
        assertThat(c.spreadRevenuePosted().minor()).isZero();
        assertThat(c.roundingPosted().minor()).isZero();
    }

    @Test
    void roundsTiesToTheEvenMinorUnit() {
        assertThat(Converter.sell(new Money(15, JPY), USD, dec("0.001"), dec("0.001")).destination())
                .isEqualTo(new Money(2, USD)); // 0.015 → 0.02
        assertThat(Converter.sell(new Money(25, JPY), USD, dec("0.001"), dec("0.001")).destination())
                .isEqualTo(new Money(2, USD)); // 0.025 → 0.02
        assertThat(Converter.sell(Money.parsePositive("0.05", USD), BHD, dec("0.3765"), dec("0.377")).destination())
                .isEqualTo(new Money(19, BHD)); // 0.018825 → 0.019
    }

    @Test
    void buyingAsksTheLeastSourceThatCoversTheDestination() {
        Conversion c = Converter.buy(new Money(10_000, JPY), USD, dec("154.10"), dec("154.20"));

        // 10000 / 154.10 = 64.8929... → 64.90 USD; 64.89 × 154.10 = 9999.549 would fall short
        assertThat(c.source()).isEqualTo(Money.parsePositive("64.90", USD));
        assertThat(c.destination()).isEqualTo(new Money(10_000, JPY));
        assertThat(c.exactValue().value()).isEqualByComparingTo("10001.09");
        assertThat(c.roundingDifference().value()).isEqualByComparingTo("1.09");
        assertThat(c.rule()).isEqualTo(RoundingRule.SOURCE_CEILING);
        // 64.90 × 154.20 = 10007.58 → 10008 = 10000 + spread 6.49 → 6 + rounding 2
        assertThat(c.valueAtMid()).isEqualTo(new Money(10_008, JPY));
        assertThat(c.spreadRevenuePosted()).isEqualTo(new Money(6, JPY));
        assertThat(c.roundingPosted()).isEqualTo(new Money(2, JPY));
    }

    @Test
    void buysAThreeDecimalCurrencyWithAZeroDecimalOne() {
        Conversion c = Converter.buy(Money.parsePositive("1.000", BHD), JPY, dec("0.00244"), dec("0.00245"));

        assertThat(c.source()).isEqualTo(new Money(410, JPY)); // 1 / 0.00244 = 409.8...
        assertThat(c.roundingDifference()).isEqualTo(new ExactAmount(dec("0.00040"), BHD));
    }

    @Test
    void refusesAConversionThatWouldPayOutNothing() {
        assertThatThrownBy(() -> Converter.sell(new Money(1, JPY), BHD, dec("0.0004"), dec("0.0004")))
                .isInstanceOfSatisfying(FxRejection.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.AMOUNT_INVALID))
                .hasMessage("1 JPY at 0.0004 is less than half of the smallest unit of BHD; nothing would be paid out");
        assertThatThrownBy(() -> Converter.sell(new Money(0, JPY), USD, dec("0.0065"), dec("0.0065")))
                .hasMessage("the amount to convert must be above zero: 0 JPY");
    }

    @Test
    void refusesAResultAboveTheLargestAmount() {
        assertThatThrownBy(() -> Converter.sell(new Money(Money.AMOUNT_MINOR_MAX, USD), JPY, dec("154.10"), dec("154.20")))
                .isInstanceOfSatisfying(FxRejection.class, e -> assertThat(e.code()).isEqualTo(FxRejectionCode.AMOUNT_INVALID))
                .hasMessage("the converted amount 1540999999999998 JPY is above the maximum of 999999999999999");
    }

    private static BigDecimal dec(String text) {
        return new BigDecimal(text);
    }
}
