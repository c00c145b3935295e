package ledger.fx.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** docs/fx.md, "Circuit breakers and quotas": fixed windows counted from the epoch, by the caller's instant. */
class QuotaCounterTest {
    @Test
    void countsCallsInAWindowAndStartsAgainInTheNext() {
        QuotaCounter counter = new QuotaCounter(new Quota(2, Duration.ofDays(1)));
        Instant morning = Instant.parse("2026-12-06T08:00:00Z");

        assertThat(counter.tryUse(morning)).hasValue(1);
        assertThat(counter.tryUse(morning.plusSeconds(3600))).hasValue(0);
        assertThat(counter.tryUse(Instant.parse("2026-12-06T23:59:59.999Z"))).isEmpty();
        assertThat(counter.windowEnd(morning)).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));

        assertThat(counter.remaining(Instant.parse("2026-12-07T00:00:00Z"))).isEqualTo(2);
        assertThat(counter.tryUse(Instant.parse("2026-12-07T00:00:00Z"))).hasValue(1);
    }
}
