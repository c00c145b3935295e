package ledger.fx.convert;

import java.math.RoundingMode;

/** The named rounding rules of a conversion (docs/fx.md, "Conversion"). */
public enum RoundingRule {
    /**
     * A source amount is sold: destination = source × rate rounded HALF_EVEN to the destination
     * currency's minor unit. The difference is at most half a destination minor unit either way.
     */
    DESTINATION_HALF_EVEN(RoundingMode.HALF_EVEN),
    /**
     * A destination amount is asked for: source = destination / rate rounded UP (CEILING) to the
     * source currency's minor unit, the least source amount whose exact value covers the
     * destination. The customer gets exactly what was asked; the difference (never negative, below
     * one source minor unit × rate) stays with the house.
     */
    SOURCE_CEILING(RoundingMode.CEILING);

    private final RoundingMode mode;

    RoundingRule(RoundingMode mode) {
        this.mode = mode;
    }

    public RoundingMode mode() {
        return mode;
    }
}
