package ledger.audit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The "ts6" timestamp of AUDIT-CHAIN.md: UTC, {@code YYYY-MM-DDTHH:MM:SS.ffffffZ}, exactly six
 * fraction digits, truncated (not rounded) to microseconds. Years 0000..9999 only.
 */
public final class Ts6 {

    private static final Pattern SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Ts6() {
    }

    public static String format(Instant instant) {
        if (instant.isBefore(MIN) || instant.isAfter(MAX.plusNanos(999))) {
            throw new IllegalArgumentException("instant outside years 0000..9999: " + instant);
        }
        return FORMAT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** Strict parse; anything that {@link #format} would not produce is rejected. */
    public static Instant parse(String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("not ts6 (YYYY-MM-DDTHH:MM:SS.ffffffZ): " + Sha256.abbreviate(text));
        }
        try {
            return LocalDateTime.parse(text, FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not ts6, no such date or time: \"" + text + "\"", e);
        }
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
