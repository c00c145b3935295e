package ledger.fx.provider;

import com.fasterxml.jackson.core.JsonPointer;
import java.time.Duration;
import java.util.Map;

/**
 * How to ask one HTTP JSON rate service (docs/fx.md, "HTTP JSON providers").
 *
 * @param urlTemplate     an absolute http(s) URL with {@code {base}} and {@code {quote}} placeholders,
 *                        replaced by the ISO codes of the pair asked for
 * @param bidPointer      JSON Pointer (RFC 6901) of the bid in the answer, a number or a decimal string
 * @param askPointer      JSON Pointer of the ask
 * @param timePointer     JSON Pointer of the instant the price was made
 * @param timeFormat      how that instant is written
 * @param timeout         the whole request's limit, passed to the HTTP client
 * @param headers         extra request headers (an API key, an Accept), sent as given
 */
public record HttpJsonSettings(String name, String urlTemplate, String bidPointer, String askPointer,
                               String timePointer, TimeFormat timeFormat, Duration timeout,
                               Map<String, String> headers) {
    public static final Duration TIMEOUT_MAX = Duration.ofSeconds(60);

    /** How the answer writes its timestamp. */
    public enum TimeFormat {
        /** RFC 3339 / ISO 8601 with an offset, e.g. {@code 2026-12-06T10:15:00Z}. */
        ISO_8601,
        /** Whole seconds since 1970-01-01T00:00:00Z, as a number or a string. */
        EPOCH_SECONDS,
        /** Whole milliseconds since 1970-01-01T00:00:00Z, as a number or a string. */
        EPOCH_MILLIS
    }

    public HttpJsonSettings {
        require(name != null && !name.isBlank(), "name is missing");
        require(urlTemplate != null && (urlTemplate.startsWith("http://") || urlTemplate.startsWith("https://")),
                name + ": urlTemplate must be an http or https URL: " + urlTemplate);
        require(urlTemplate.contains("{base}") && urlTemplate.contains("{quote}"),
                name + ": urlTemplate must contain {base} and {quote}: " + urlTemplate);
        try {
            java.net.URI.create(urlTemplate.replace("{base}", "USD").replace("{quote}", "EUR"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": urlTemplate is not a valid URL: " + e.getMessage(), e);
        }
        pointer(name, "bidPointer", bidPointer);
        pointer(name, "askPointer", askPointer);
        pointer(name, "timePointer", timePointer);
        require(timeFormat != null, name + ": timeFormat is missing");
        require(timeout != null && !timeout.isNegative() && !timeout.isZero() && timeout.compareTo(TIMEOUT_MAX) <= 0,
                name + ": timeout must be above zero and at most " + TIMEOUT_MAX + ": " + timeout);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    private static void pointer(String name, String field, String value) {
        require(value != null, name + ": " + field + " is missing");
        try {
            JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + field + " \"" + value + "\" is not a JSON Pointer: " + e.getMessage(), e);
        }
    }

    private static void require(boolean condition, String why) {
        if (!condition) {
            throw new IllegalArgumentException(why);
        }
    }
}
