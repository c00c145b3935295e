package ledger.audit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;

/**
 * The "ts6" timestamp of AUDIT-CHAIN.md: UTC, {@code YYYY-MM-DDTHH:MM:SS.ffffffZ}, exactly six
 * fraction digits, truncated (not rounded) to microseconds. Years 0000..9999 only.
 */
public final class Ts6 {

    /** The shape of a ts6 text, 'd' standing for an ASCII digit. */
    private static final String SHAPE_TEMPLATE = "dddd-dd-ddTdd:dd:dd.ddddddZ";
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
        if (!hasShape(text)) {
            throw new IllegalArgumentException("not ts6 (YYYY-MM-DDTHH:MM:SS.ffffffZ): " + Sha256.abbreviate(text));
        }
        try {
            return dateTime(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not ts6, no such date or time: \"" + text + "\"", e);
        }
    }

    public static boolean isValid(String text) {
        if (!hasShape(text)) {
            return false;
        }
        try {
            dateTime(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS.ffffffZ} with ASCII digits ({@link #SHAPE_TEMPLATE}). */
    private static boolean hasShape(String text) {
        if (text == null || text.length() != SHAPE_TEMPLATE.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char t = SHAPE_TEMPLATE.charAt(i);
            char c = text.charAt(i);
            if (t == 'd' ? c < '0' || c > '9' : c != t) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fields of a well-shaped text as a date and time; {@link DateTimeException} when there is
     * no such one (month 13, February 30, hour 24, second 60), as the STRICT {@link #FORMAT} would.
     */
    private static LocalDateTime dateTime(String text) {
        return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
                digits(text, 14, 2), digits(text, 17, 2), digits(text, 20, 6) * 1000);
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
