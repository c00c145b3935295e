package ledger.fx.rate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The named rules for the precision of a rate (docs/fx.md, "Rates"). A rate is a positive
 * BigDecimal of at most {@value #SIGNIFICANT_DIGITS_MAX} significant digits between
 * {@link #RATE_MIN} and {@link #RATE_MAX}. Where a rate is computed rather than given, one of the
 * rules below says how it is brought back to that precision; nothing is rounded anywhere else.
 */
public final class RatePrecision {
    public static final int SIGNIFICANT_DIGITS_MAX = 12;
    public static final BigDecimal RATE_MIN = new BigDecimal("1E-12");
    public static final BigDecimal RATE_MAX = new BigDecimal("1E+12");

    /**
     * Rule CROSS: a reference rate computed from two others (an ECB cross through EUR, or the
     * inverse of a reference rate) keeps 12 significant digits, rounded HALF_EVEN. A reference rate
     * has no spread, so there is no side to favour.
     */
    public static final MathContext CROSS = new MathContext(SIGNIFICANT_DIGITS_MAX, RoundingMode.HALF_EVEN);

    /** Rule MID: the mid rate (bid + ask) / 2 keeps 12 significant digits, rounded HALF_EVEN. */
    public static final MathContext MID = new MathContext(SIGNIFICANT_DIGITS_MAX, RoundingMode.HALF_EVEN);

    /**
     * Rule OUTWARD: a two-sided rate that arrives (or is computed, as an inverse) with more than 12
     * significant digits is rounded away from the middle: the bid down, the ask up, so the spread
     * never narrows and the house never quotes a better price than its source gave.
     */
    public static final MathContext OUTWARD_BID = new MathContext(SIGNIFICANT_DIGITS_MAX, RoundingMode.FLOOR);
    public static final MathContext OUTWARD_ASK = new MathContext(SIGNIFICANT_DIGITS_MAX, RoundingMode.CEILING);

    private RatePrecision() {
    }

    public static int significantDigits(BigDecimal value) {
        return value.stripTrailingZeros().precision();
    }

    /** Why {@code value} is not an acceptable rate as given, or empty when it is. */
    public static Optional<String> problem(BigDecimal value) {
        if (value.signum() <= 0) {
            return Optional.of(value.toPlainString() + " is not positive");
        }
        int digits = significantDigits(value);
        if (digits > SIGNIFICANT_DIGITS_MAX) {
            return Optional.of(value.toPlainString() + " has " + digits + " significant digits, at most "
                    + SIGNIFICANT_DIGITS_MAX + " are allowed");
        }
        if (value.compareTo(RATE_MIN) < 0 || value.compareTo(RATE_MAX) > 0) {
            return Optional.of(value.toPlainString() + " is outside " + RATE_MIN.toPlainString() + " .. "
                    + RATE_MAX.toPlainString());
        }
        return Optional.empty();
    }

    public static boolean acceptable(BigDecimal value) {
        return problem(value).isEmpty();
    }
}
