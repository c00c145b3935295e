package ledger.reconciliation.statement;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;

/**
 * The one place where file text becomes money: a plain unsigned decimal in a known ISO 4217
 * currency, with no more decimals than the currency's minor unit, scaled to exactly that many.
 * Shared with the processor report parser. Nothing is rounded: an over-precise amount is refused (DESIGN.md, Money).
 */
public final class Amounts {
    private static final Pattern DOT_DECIMAL = Pattern.compile("[0-9]{1,18}(\\.[0-9]{0,18})?");
    private static final Pattern COMMA_DECIMAL = Pattern.compile("[0-9]{1,18}(,[0-9]{0,18})?");

    private Amounts() {
    }

    public static CurrencyCode currency(String code, String location) throws StatementFormatException {
        Optional<CurrencyCode> found = Currencies.iso().find(code == null ? null : code.trim());
        if (found.isEmpty()) {
            throw new StatementFormatException(location, "unknown ISO 4217 currency " + quote(code));
        }
        return found.get();
    }

    /** camt and CSV: {@code 1234.50}. */
    public static BigDecimal dotDecimal(String text, CurrencyCode currency, String location) throws StatementFormatException {
        String t = text == null ? "" : text.trim();
        if (!DOT_DECIMAL.matcher(t).matches()) {
            throw new StatementFormatException(location, "amount must be an unsigned decimal such as 1234.50: " + quote(text));
        }
        return scaled(new BigDecimal(t), currency, text, location);
    }

    /** MT940: {@code 1234,50} or {@code 9,} (the comma is mandatory, decimals optional). */
    static BigDecimal commaDecimal(String text, CurrencyCode currency, String location) throws StatementFormatException {
        String t = text == null ? "" : text;
        if (!COMMA_DECIMAL.matcher(t).matches() || t.indexOf(',') < 0) {
            throw new StatementFormatException(location, "amount must be digits with a decimal comma such as 1234,50: " + quote(text));
        }
        String plain = t.endsWith(",") ? t.substring(0, t.length() - 1) : t.replace(',', '.');
        return scaled(new BigDecimal(plain), currency, text, location);
    }

    /** Minor units as an integer (PayPal-style reports): {@code 1050} in EUR is 10.50. */
    public static BigDecimal minorUnits(String text, CurrencyCode currency, String location) throws StatementFormatException {
        String t = text == null ? "" : text.trim();
        if (!t.matches("[0-9]{1,18}")) {
            throw new StatementFormatException(location, "amount must be a whole number of minor units: " + quote(text));
        }
        return new BigDecimal(t).movePointLeft(currency.scale()).setScale(currency.scale());
    }

    static BigDecimal scaled(BigDecimal value, CurrencyCode currency, String text, String location)
            throws StatementFormatException {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > currency.scale()) {
            throw new StatementFormatException(location, "amount " + quote(text) + " has more decimals than "
                    + currency.code() + " allows (" + currency.scale() + ")");
        }
        // Exact: only trailing zeros are added or removed, never a digit that matters.
        return value.setScale(currency.scale(), java.math.RoundingMode.UNNECESSARY);
    }

    public static String quote(String text) {
        if (text == null) {
            return "(missing)";
        }
        String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return '"' + shown + '"';
    }
}
