package ledger.reconciliation.matching;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import ledger.domain.money.CurrencyCode;

/**
 * Level L1: repairs differences of format only, and says what it did. Each method returns the
 * value to match with and adds a {@link Fix} when that differs from what arrived.
 */
final class Normaliser {
    private static final DateTimeFormatter BASIC = strict("uuuuMMdd");
    private static final DateTimeFormatter DOTTED = strict("dd.MM.uuuu");
    private static final DateTimeFormatter SLASHED = strict("uuuu/MM/dd");
    private static final DateTimeFormatter SPACED = strict("uuuu-MM-dd HH:mm:ss");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final RuleSet rules;

    Normaliser(RuleSet rules) {
        this.rules = rules;
    }

    private static DateTimeFormatter strict(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    }

    /** Null when the item has no usable reference. */
    String reference(String field, String original, List<Fix> fixes) {
        if (original == null) {
            return null;
        }
        List<String> applied = new ArrayList<>();
        String value = original.strip();
        if (!value.equals(original)) {
            applied.add("trim");
        }
        for (String prefix : rules.referencePrefixes()) {
            if (value.length() > prefix.length() && value.regionMatches(true, 0, prefix, 0, prefix.length())) {
                value = value.substring(prefix.length()).strip();
                applied.add("prefix \"" + prefix + "\"");
                break;
            }
        }
        String compact = withoutWhitespace(value);
        if (!compact.equals(value)) {
            applied.add("whitespace");
        }
        String upper = compact.toUpperCase(Locale.ROOT);
        if (!upper.equals(compact)) {
            applied.add("upper case");
        }
        if (upper.isEmpty() || rules.noReference().contains(upper)) {
            return null;
        }
        if (!applied.isEmpty()) {
            fixes.add(new Fix(field, original, upper, String.join(", ", applied)));
        }
        return upper;
    }

    /** Empty when the currency is not known even after repair (an L3 alert). */
    Optional<CurrencyCode> currency(String original, List<Fix> fixes) {
        String value = original.strip();
        String alias = rules.currencyAliases().get(value.toUpperCase(Locale.ROOT));
        String code = alias != null ? alias : value.toUpperCase(Locale.ROOT);
        Optional<CurrencyCode> found = rules.currencies().find(code);
        if (found.isPresent() && !code.equals(original)) {
            fixes.add(new Fix("currency", original, code, alias != null ? "alias" : "upper case"));
        }
        return found;
    }

    /** The amount at exactly the currency's scale; trailing zeros are a format difference, other extra digits are not. */
    BigDecimal amount(BigDecimal original, CurrencyCode currency, List<Fix> fixes) {
        if (original.stripTrailingZeros().scale() > currency.scale()) {
            throw new IllegalArgumentException("amount " + original.toPlainString() + " has more decimals than "
                    + currency.code() + " allows (" + currency.scale() + ")");
        }
        BigDecimal scaled = original.setScale(currency.scale(), RoundingMode.UNNECESSARY);
        if (original.scale() != currency.scale()) {
            fixes.add(new Fix("amount", original.toPlainString(), scaled.toPlainString(), "scale to " + currency.code() + " minor unit"));
        }
        return scaled;
    }

    LocalDate date(String original, List<Fix> fixes) {
        String value = original.strip();
        try {
            if (value.length() == 10 && value.charAt(4) == '-') {
                LocalDate d = LocalDate.parse(value);
                if (!value.equals(original)) {
                    fixes.add(new Fix("valueDate", original, d.toString(), "trim"));
                }
                return d;
            }
            LocalDate parsed;
            String rule;
            if (value.length() == 8 && value.chars().allMatch(Character::isDigit)) {
                parsed = LocalDate.parse(value, BASIC);
                rule = "format yyyyMMdd";
            } else if (value.length() == 10 && value.charAt(2) == '.') {
                parsed = LocalDate.parse(value, DOTTED);
                rule = "format dd.MM.yyyy";
            } else if (value.length() == 10 && value.charAt(4) == '/') {
                parsed = LocalDate.parse(value, SLASHED);
                rule = "format yyyy/MM/dd";
            } else if (value.length() == 19 && value.charAt(10) == ' ') {
                parsed = LocalDateTime.parse(value, SPACED).toLocalDate();
                rule = "date-time, date taken";
            } else if (value.length() == 19 && value.charAt(10) == 'T') {
                parsed = LocalDateTime.parse(value).toLocalDate();
                rule = "date-time, date taken";
            } else if (value.length() > 19 && value.charAt(10) == 'T') {
                parsed = OffsetDateTime.parse(value).atZoneSameInstant(rules.zone()).toLocalDate();
                rule = "date-time in " + rules.zone();
            } else {
                throw new IllegalArgumentException("value date in no known format: \"" + original + "\"");
            }
            fixes.add(new Fix("valueDate", original, parsed.toString(), rule));
            return parsed;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("value date is not a date: \"" + original + "\"", e);
        }
    }

    /** Accounts and counterparties: upper case, no spaces (IBANs are printed in groups of four). */
    String identifier(String field, String original, List<Fix> fixes) {
        if (original == null || original.isBlank()) {
            return null;
        }
        String value = canonicalIdentifier(original);
        if (!value.equals(original)) {
            fixes.add(new Fix(field, original, value, "upper case, no spaces"));
        }
        return value;
    }

    static String canonicalIdentifier(String text) {
        return withoutWhitespace(text).toUpperCase(Locale.ROOT);
    }

    private static String withoutWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return WHITESPACE.matcher(text).replaceAll("");
            }
        }
        return text;
    }
}
