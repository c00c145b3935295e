package ledger.fx.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejection;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RatePrecision;
import org.junit.jupiter.api.Test;

/**
 * The identities of docs/fx.md, "Conversion", over random amounts and rates across JPY, USD, EUR
 * and BHD. Seeded: the seed is printed, and {@code -Dfx.seed=N} replays a run.
 */
class ConversionProperties {
    private static final Currencies ISO = Currencies.iso();
    private static final List<CurrencyCode> CURRENCIES = List.of(
            ISO.resolve("JPY"), ISO.resolve("USD"), ISO.resolve("EUR"), ISO.resolve("BHD"));
    private static final int CASES = 20_000;

    private final long seed = Long.getLong("fx.seed", System.nanoTime());
    private final Random random = new Random(seed);

    @Test
    void sellingLosesNothing() {
        System.out.println("ConversionProperties.sellingLosesNothing seed=" + seed + " (replay with -Dfx.seed=" + seed + ")");
        int converted = 0;
        for (int i = 0; i < CASES; i++) {
            Case c = nextCase();
            Money source = new Money(amountMinor(), c.from());
            BigDecimal s = decimal(source);
            BigDecimal exact = s.multiply(c.rate().bid());
            BigDecimal expected = exact.setScale(c.to().scale(), RoundingMode.HALF_EVEN);
            String where = "seed " + seed + " case " + i + ": sell " + source + " → " + c.to() + " at " + c.rate();
            Conversion conversion;
            try {
                conversion = Converter.sell(source, c.to(), c.rate().bid(), c.rate().mid());
            } catch (FxRejection refused) {
                BigDecimal atMid = s.multiply(c.rate().mid()).setScale(c.to().scale(), RoundingMode.HALF_EVEN);
                assertThat(expected.signum() == 0 || expected.compareTo(limit(c.to())) > 0 || atMid.compareTo(limit(c.to())) > 0)
                        .as(where + " was refused: " + refused.getMessage()).isTrue();
                continue;
            }
            converted++;
            assertThat(decimal(conversion.destination())).as(where).isEqualByComparingTo(expected);
            BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(c.to().scale()).divide(BigDecimal.valueOf(2));
            assertThat(conversion.roundingDifference().value().abs()).as(where).isLessThanOrEqualTo(halfUnit);
            assertIdentities(conversion, where);
        }
        assertThat(converted).as("most random cases convert").isGreaterThan(CASES / 2);
    }

    @Test
    void buyingLosesNothingAndAsksTheLeastSource() {
        System.out.println("ConversionProperties.buyingLosesNothingAndAsksTheLeastSource seed=" + seed
                + " (replay with -Dfx.seed=" + seed + ")");
        int converted = 0;
        for (int i = 0; i < CASES; i++) {
            Case c = nextCase();
            Money destination = new Money(amountMinor(), c.to());
            BigDecimal rate = c.rate().bid();
            String where = "seed " + seed + " case " + i + ": buy " + destination + " with " + c.from() + " at " + c.rate();
            Conversion conversion;
            try {
                conversion = Converter.buy(destination, c.from(), rate, c.rate().mid());
            } catch (FxRejection refused) {
                BigDecimal needed = decimal(destination).divide(rate, c.from().scale(), RoundingMode.CEILING);
                BigDecimal atMid = needed.multiply(c.rate().mid()).setScale(c.to().scale(), RoundingMode.HALF_EVEN);
                assertThat(needed.compareTo(limit(c.from())) > 0 || atMid.compareTo(limit(c.to())) > 0)
                        .as(where + " was refused: " + refused.getMessage()).isTrue();
                continue;
            }
            converted++;
            BigDecimal s = decimal(conversion.source());
            BigDecimal d = decimal(destination);
            BigDecimal sourceUnit = BigDecimal.ONE.movePointLeft(c.from().scale());
            assertThat(conversion.destination()).as(where).isEqualTo(destination);
            assertThat(s.multiply(rate)).as(where + ": the source covers the destination").isGreaterThanOrEqualTo(d);
            assertThat(s.subtract(sourceUnit).multiply(rate)).as(where + ": one unit less would not").isLessThan(d);
            assertThat(conversion.roundingDifference().value().signum()).as(where).isGreaterThanOrEqualTo(0);
            assertThat(conversion.roundingDifference().value()).as(where).isLessThan(sourceUnit.multiply(rate));
            assertIdentities(conversion, where);
        }
        assertThat(converted).as("most random cases convert").isGreaterThan(CASES / 2);
    }

    /** The three identities, recomputed here from the parts, not taken from the converter. */
    private static void assertIdentities(Conversion c, String where) {
        CurrencyCode to = c.destination().currency();
        BigDecimal s = decimal(c.source());
        BigDecimal d = decimal(c.destination());
        assertThat(List.of(c.exactValue().currency(), c.roundingDifference().currency(), c.spreadRevenue().currency(),
                c.valueAtMid().currency(), c.spreadRevenuePosted().currency(), c.roundingPosted().currency()))
                .as(where + ": every part is in the destination currency").containsOnly(to);
        assertThat(s.multiply(c.customerRate()))
                .as(where + ": S × r = D + rounding").isEqualByComparingTo(d.add(c.roundingDifference().value()));
        assertThat(s.multiply(c.midRate()))
                .as(where + ": S × mid = D + rounding + spread")
                .isEqualByComparingTo(d.add(c.roundingDifference().value()).add(c.spreadRevenue().value()));
        assertThat(c.spreadRevenue().value().signum()).as(where + ": the customer rate is not above mid").isGreaterThanOrEqualTo(0);
        assertThat(decimal(c.valueAtMid()))
                .as(where + ": value at mid is S × mid rounded HALF_EVEN")
                .isEqualByComparingTo(s.multiply(c.midRate()).setScale(to.scale(), RoundingMode.HALF_EVEN));
        assertThat(c.valueAtMid().minor())
                .as(where + ": posted parts add up to the value at mid")
                .isEqualTo(c.destination().minor() + c.spreadRevenuePosted().minor() + c.roundingPosted().minor());
        BigDecimal unit = BigDecimal.ONE.movePointLeft(to.scale());
        assertThat(decimal(c.roundingPosted()).subtract(c.roundingDifference().value()).abs())
                .as(where + ": posted rounding is within one minor unit of the exact difference").isLessThanOrEqualTo(unit);
    }

    private record Case(CurrencyCode from, CurrencyCode to, ProviderRate rate) {
    }

    private Case nextCase() {
        CurrencyCode from = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
        CurrencyCode to = from;
        while (to.equals(from)) {
            to = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
        }
        BigDecimal bid = rate();
        // a spread of 0 to 3 %, the ask kept to 12 significant digits by rounding up
        BigDecimal spread = BigDecimal.valueOf(random.nextInt(3_001), 5);
        BigDecimal ask = random.nextInt(10) == 0 ? bid : bid.multiply(BigDecimal.ONE.add(spread)).round(RatePrecision.OUTWARD_ASK);
        return new Case(from, to, new ProviderRate("random", new CurrencyPair(from, to), bid, ask, java.time.Instant.EPOCH));
    }

    /** 1 to 12 significant digits, the leading digit between 10^-4 and 10^4; no floating point. */
    private BigDecimal rate() {
        int digits = 1 + random.nextInt(RatePrecision.SIGNIFICANT_DIGITS_MAX);
        long smallest = pow10(digits - 1);
        long unscaled = smallest + random.nextLong(9 * smallest); // exactly `digits` digits, leading one non-zero
        int exponent = random.nextInt(9) - 4; // the leading digit's power of ten
        return new BigDecimal(BigInteger.valueOf(unscaled), digits - 1 - exponent);
    }

    /** 1 minor unit up to 10^13, spread evenly over the orders of magnitude. */
    private long amountMinor() {
        return 1 + random.nextLong(pow10(random.nextInt(14)));
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }

    private static BigDecimal decimal(Money money) {
        return BigDecimal.valueOf(money.minor(), money.currency().scale());
    }

    private static BigDecimal limit(CurrencyCode currency) {
        return BigDecimal.valueOf(Money.AMOUNT_MINOR_MAX, currency.scale());
    }
}
