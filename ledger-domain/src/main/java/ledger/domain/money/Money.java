package ledger.domain.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import ledger.domain.model.Invariants;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;

/**
 * An exact amount of one currency, held as a whole number of minor units. Arithmetic across
 * currencies is a programming error and throws. No floating point anywhere.
 */
public record Money(long minor, CurrencyCode currency) {
    /** The largest amount one posting may move, in minor units (15 digits). */
    public static final long AMOUNT_MINOR_MAX = 999_999_999_999_999L;

    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]+)?");

    public Money {
        Invariants.check(currency != null, "money has a currency");
    }

    public static Money zero(CurrencyCode currency) {
        return new Money(0, currency);
    }

    /**
     * Parses a client amount: a plain positive decimal string with at most the currency's number
     * of decimals, not above {@link #AMOUNT_MINOR_MAX}. Anything else is {@code amount_invalid}:
     * an over-precise amount is rejected, never rounded.
     */
    public static Money parsePositive(String text, CurrencyCode currency) {
        if (text == null) {
            throw invalid("amount is missing");
        }
        if (text.startsWith("-")) {
            throw invalid("amount must be positive: \"" + text + "\"");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw invalid("amount must be a plain decimal string such as \"12.50\": \"" + abbreviate(text) + "\"");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.scale() > currency.scale()) {
            throw invalid("amount \"" + text + "\" has more decimals than " + currency.code()
                    + " allows (" + currency.scale() + ")");
        }
        BigInteger minor = value.movePointRight(currency.scale()).toBigIntegerExact();
        if (minor.signum() == 0) {
            throw invalid("amount must be greater than zero");
        }
        if (minor.compareTo(BigInteger.valueOf(AMOUNT_MINOR_MAX)) > 0) {
            throw invalid("amount \"" + abbreviate(text) + "\" is above the maximum of "
                    + new Money(AMOUNT_MINOR_MAX, currency).toPlainString() + " " + currency.code());
        }
        return new Money(minor.longValueExact(), currency);
    }

    /**
     * Reads an amount this ledger wrote itself (an event payload): it always has exactly the
     * currency's scale, so the scale is taken from the text.
     */
    public static long minorOf(String stored) {
        return new BigDecimal(stored).unscaledValue().longValueExact();
    }

    public String toPlainString() {
        return format(minor, currency.scale());
    }

    public static String format(long minor, int scale) {
        return BigDecimal.valueOf(minor, scale).toPlainString();
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minor, other.minor), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minor, other.minor), currency);
    }

    public boolean isPositive() {
        return minor > 0;
    }

    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minor, other.minor);
    }

    private void requireSameCurrency(Money other) {
        Invariants.check(currency.equals(other.currency),
                "arithmetic across currencies: " + currency.code() + " and " + other.currency.code());
    }

    private static LedgerRejection invalid(String detail) {
        return new LedgerRejection(RejectionCode.AMOUNT_INVALID, detail);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    @Override
    public String toString() {
        return toPlainString() + " " + currency.code();
    }
}
