package ledger.fx.convert;

import java.math.BigDecimal;
import ledger.domain.model.Invariants;
import ledger.domain.money.Money;

/**
 * One exact conversion and where every part of its value goes (docs/fx.md, "Conversion"). With
 * S the source, r the customer rate, m the mid rate and D the destination, all of the following
 * hold exactly and are checked when the record is made:
 * <pre>
 *   S × r = D + roundingDifference                                   (exactValue)
 *   S × m = D + roundingDifference + spreadRevenue                   (spreadRevenue = S × (m − r))
 *   valueAtMid = D + spreadRevenuePosted + roundingPosted            (whole destination minor units)
 * </pre>
 * The first two are exact decimals, the third is what the service posts: the FX position in the
 * destination currency gives up {@code valueAtMid}; the customer receives D, FX revenue
 * {@code spreadRevenuePosted} and the rounding account {@code roundingPosted}. All amounts but
 * {@code source} are in the destination currency.
 */
public record Conversion(RoundingRule rule, Money source, Money destination, BigDecimal customerRate,
                         BigDecimal midRate, ExactAmount exactValue, ExactAmount roundingDifference,
                         ExactAmount spreadRevenue, Money valueAtMid, Money spreadRevenuePosted,
                         Money roundingPosted) {
    public Conversion {
        var to = destination.currency();
        Invariants.check(exactValue.currency().equals(to) && roundingDifference.currency().equals(to)
                && spreadRevenue.currency().equals(to), "exact parts are in the destination currency");
        Invariants.check(valueAtMid.currency().equals(to) && spreadRevenuePosted.currency().equals(to)
                && roundingPosted.currency().equals(to), "posted parts are in the destination currency");
        BigDecimal s = decimal(source);
        BigDecimal d = decimal(destination);
        Invariants.check(s.multiply(customerRate).compareTo(exactValue.value()) == 0, "exactValue = S × r");
        Invariants.check(exactValue.value().compareTo(d.add(roundingDifference.value())) == 0,
                "S × r = D + roundingDifference");
        Invariants.check(s.multiply(midRate).compareTo(d.add(roundingDifference.value()).add(spreadRevenue.value())) == 0,
                "S × m = D + roundingDifference + spreadRevenue");
        Invariants.check(valueAtMid.minor() == destination.minor() + spreadRevenuePosted.minor() + roundingPosted.minor(),
                "valueAtMid = D + spreadRevenuePosted + roundingPosted");
    }

    /** An amount as the decimal it stands for. */
    static BigDecimal decimal(Money money) {
        return BigDecimal.valueOf(money.minor(), money.currency().scale());
    }
}
