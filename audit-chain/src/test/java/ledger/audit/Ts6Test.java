package ledger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ts6Test {

    @Test
    void formatsSixDigitsInUtc() {
        assertEquals("2025-01-02T03:04:05.000000Z", Ts6.format(Instant.parse("2025-01-02T03:04:05Z")));
        assertEquals("2025-01-02T03:04:05.120000Z", Ts6.format(Instant.parse("2025-01-02T03:04:05.12Z")));
        assertEquals("0000-01-01T00:00:00.000000Z", Ts6.format(Instant.parse("0000-01-01T00:00:00Z")));
    }

    @Test
    void truncatesInsteadOfRounding() {
        assertEquals("2025-12-31T23:59:59.999999Z", Ts6.format(Instant.parse("2025-12-31T23:59:59.999999999Z")));
        assertEquals("1969-12-31T23:59:59.999999Z", Ts6.format(Instant.ofEpochSecond(-1, 999_999_500)));
    }

    @Test
    void parsesWhatItFormats() {
        Instant t = Instant.parse("2024-02-29T12:34:56.789012Z");
        assertEquals(t, Ts6.parse(Ts6.format(t)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-01-02T03:04:05Z", "2025-01-02T03:04:05.123Z", "2025-01-02T03:04:05.1234567Z",
        "2025-01-02T03:04:05.123456z", "2025-01-02T03:04:05.123456+00:00", "2025-01-02 03:04:05.123456Z",
        "2025-02-30T00:00:00.000000Z", "2023-02-29T00:00:00.000000Z", "2025-01-02T24:00:00.000000Z",
        "2016-12-31T23:59:60.000000Z", "+2025-01-02T03:04:05.123456Z", "", " 2025-01-02T03:04:05.123456Z",
        "２025-01-02T03:04:05.123456Z"})
    void rejectsAnythingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> Ts6.parse(text));
    }

    @Test
    void rejectsYearsOutsideFourDigits() {
        assertThrows(IllegalArgumentException.class, () -> Ts6.format(Instant.parse("+10000-01-01T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> Ts6.format(Instant.parse("-0001-12-31T23:59:59Z")));
    }
}
