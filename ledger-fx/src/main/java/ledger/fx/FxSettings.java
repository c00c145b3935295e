package ledger.fx;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FX settings the service reads from its environment (docs/fx.md, "Settings"):
 * {@value #RATES_FILE} names the CSV rates table, {@value #QUOTE_TTL} how long a quote stays
 * locked (default 30 s; {@code 30s}, {@code 500ms}, {@code 2m}, a number of seconds or ISO 8601
 * {@code PT30S}).
 */
public record FxSettings(Optional<Path> ratesFile, Duration quoteTtl) {
    public static final String RATES_FILE = "LEDGER_FX_RATES_FILE";
    public static final String QUOTE_TTL = "LEDGER_FX_QUOTE_TTL";
    public static final Duration QUOTE_TTL_DEFAULT = Duration.ofSeconds(30);
    public static final Duration QUOTE_TTL_MIN = Duration.ofSeconds(1);
    public static final Duration QUOTE_TTL_MAX = Duration.ofHours(1);

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

    public FxSettings {
        if (quoteTtl.compareTo(QUOTE_TTL_MIN) < 0 || quoteTtl.compareTo(QUOTE_TTL_MAX) > 0) {
            throw new IllegalArgumentException(QUOTE_TTL + ": " + quoteTtl + " is outside " + QUOTE_TTL_MIN + " .. " + QUOTE_TTL_MAX);
        }
    }

    public static FxSettings fromEnvironment(Map<String, String> environment) {
        String file = environment.get(RATES_FILE);
        Optional<Path> ratesFile = file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
        String ttl = environment.get(QUOTE_TTL);
        Duration quoteTtl = ttl == null || ttl.isBlank() ? QUOTE_TTL_DEFAULT : duration(QUOTE_TTL, ttl.strip());
        return new FxSettings(ratesFile, quoteTtl);
    }

    static Duration duration(String variable, String text) {
        Matcher shortForm = SHORT.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            String unit = shortForm.group(2) == null ? "s" : shortForm.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(variable + ": \"" + text
                    + "\" is not a duration; write 30s, 500ms, 2m, 30 (seconds) or PT30S");
        }
    }
}
