package ledger.fx.convert;

import java.math.BigDecimal;
import java.math.RoundingMode;
import ledger.domain.model.Invariants;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejection;
import ledger.fx.FxRejectionCode;
import ledger.fx.rate.RatePrecision;

/**
 * Exact conversion at a customer rate, in both directions (docs/fx.md, "Conversion"). The rate is
 * units of destination per unit of source. The only roundings are the named ones: the destination
 * or source amount by {@link RoundingRule}, and the posted parts HALF_EVEN to the destination's
 * minor unit.
 */
public final class Converter {
    private Converter() {
    }

    /** Sells {@code source}: how much of {@code to} it buys at {@code customerRate}. */
    public static Conversion sell(Money source, CurrencyCode to, BigDecimal customerRate, BigDecimal midRate) {
        checkRates(source.currency(), to, customerRate, midRate);
        if (!source.isPositive()) {
            throw new FxRejection(FxRejectionCode.AMOUNT_INVALID, "the amount to convert must be above zero: " + source);
        }
        BigDecimal exact = Conversion.decimal(source).multiply(customerRate);
        BigDecimal destination = exact.setScale(to.scale(), RoundingRule.DESTINATION_HALF_EVEN.mode());
        if (destination.signum() == 0) {
            throw new FxRejection(FxRejectionCode.AMOUNT_INVALID, source + " at " + customerRate.toPlainString()
                    + " is less than half of the smallest unit of " + to.code() + "; nothing would be paid out");
        }
        return split(RoundingRule.DESTINATION_HALF_EVEN, source, money(destination, to, "the converted amount"),
                customerRate, midRate);
    }

    /** Buys {@code destination}: how much of {@code from} it costs at {@code customerRate}. */
    public static Conversion buy(Money destination, CurrencyCode from, BigDecimal customerRate, BigDecimal midRate) {
        checkRates(from, destination.currency(), customerRate, midRate);
        if (!destination.isPositive()) {
            throw new FxRejection(FxRejectionCode.AMOUNT_INVALID, "the amount to receive must be above zero: " + destination);
        }
        // BigDecimal.divide with a scale is correctly rounded: the least source covering the destination
        BigDecimal source = Conversion.decimal(destination).divide(customerRate, from.scale(), RoundingRule.SOURCE_CEILING.mode());
        return split(RoundingRule.SOURCE_CEILING, money(source, from, "the amount to pay"), destination,
                customerRate, midRate);
    }

    private static Conversion split(RoundingRule rule, Money source, Money destination, BigDecimal rate, BigDecimal mid) {
        CurrencyCode to = destination.currency();
        BigDecimal s = Conversion.decimal(source);
        BigDecimal d = Conversion.decimal(destination);
        BigDecimal exact = s.multiply(rate);
        BigDecimal roundingDifference = exact.subtract(d);
        BigDecimal spread = s.multiply(mid.subtract(rate));
        Money valueAtMid = money(s.multiply(mid).setScale(to.scale(), RoundingMode.HALF_EVEN), to, "the value at mid");
        Money spreadPosted = money(spread.setScale(to.scale(), RoundingMode.HALF_EVEN), to, "the spread revenue");
        Money roundingPosted = valueAtMid.minus(destination).minus(spreadPosted);
        return new Conversion(rule, source, destination, rate, mid, new ExactAmount(exact, to),
                new ExactAmount(roundingDifference, to), new ExactAmount(spread, to), valueAtMid, spreadPosted, roundingPosted);
    }

    private static void checkRates(CurrencyCode from, CurrencyCode to, BigDecimal rate, BigDecimal mid) {
        Invariants.check(!from.equals(to), "a conversion has two different currencies: " + from);
        Invariants.check(RatePrecision.acceptable(rate), "customer rate " + rate + " checked before use");
        Invariants.check(mid != null && mid.signum() > 0, "mid rate is positive");
    }

    private static Money money(BigDecimal value, CurrencyCode currency, String what) {
        BigDecimal limit = BigDecimal.valueOf(Money.AMOUNT_MINOR_MAX, currency.scale());
        if (value.abs().compareTo(limit) > 0) {
            throw new FxRejection(FxRejectionCode.AMOUNT_INVALID, what + " " + value.toPlainString() + " " + currency.code()
                    + " is above the maximum of " + limit.toPlainString());
        }
        return new Money(value.movePointRight(currency.scale()).longValueExact(), currency);
    }
}
