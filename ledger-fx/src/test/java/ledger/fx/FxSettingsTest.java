package ledger.fx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/fx.md, "Settings". */
class FxSettingsTest {
    @Test
    void defaultsToThirtySecondsAndNoFile() {
        FxSettings settings = FxSettings.fromEnvironment(Map.of());

        assertThat(settings.quoteTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.ratesFile()).isEmpty();
    }

    @Test
    void readsTheFileAndEveryDurationForm() {
        assertThat(FxSettings.fromEnvironment(Map.of(FxSettings.RATES_FILE, "/etc/ledger/rates.csv")).ratesFile())
                .contains(Path.of("/etc/ledger/rates.csv"));
        assertThat(ttl("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(ttl("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(ttl("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ttl("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ttl("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void refusesAnUnreadableOrOutOfRangeTtl() {
        assertThatThrownBy(() -> ttl("soon"))
                .hasMessage("LEDGER_FX_QUOTE_TTL: \"soon\" is not a duration; write 30s, 500ms, 2m, 30 (seconds) or PT30S");
        assertThatThrownBy(() -> ttl("500ms")).hasMessage("LEDGER_FX_QUOTE_TTL: PT0.5S is outside PT1S .. PT1H");
        assertThatThrownBy(() -> ttl("2h")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> ttl("PT2H")).hasMessage("LEDGER_FX_QUOTE_TTL: PT2H is outside PT1S .. PT1H");
    }

    private static Duration ttl(String text) {
        return FxSettings.fromEnvironment(Map.of(FxSettings.QUOTE_TTL, text)).quoteTtl();
    }
}
