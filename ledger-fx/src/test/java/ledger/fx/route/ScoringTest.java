package ledger.fx.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import ledger.domain.money.Currencies;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;
import org.junit.jupiter.api.Test;

/** docs/fx.md, "Scoring": the arithmetic of one score, without timing noise. */
class ScoringTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyPair USD_JPY = new CurrencyPair(ISO.resolve("USD"), ISO.resolve("JPY"));
    private static final RoutingPolicy POLICY = RoutingPolicy.of(Duration.ofMillis(1000), Duration.ofMinutes(1));

    @Test
    void combinesTheThreeComponentsByTheirWeights() {
        ProviderRate rate = new ProviderRate("p", USD_JPY, new BigDecimal("154.10"), new BigDecimal("154.30"), Instant.EPOCH);

        Score equal = Scoring.score(POLICY, Duration.ofMillis(250), rate, Optional.of(new Scoring.QuotaLeft(3, 4)));

        assertThat(equal.latency()).isEqualTo("0.7500");
        assertThat(equal.spread()).isEqualTo("0.9351");
        assertThat(equal.quota()).isEqualTo("0.7500");
        assertThat(equal.total()).isEqualTo("0.8117"); // (0.75 + 0.9351 + 0.75) / 3 = 0.811700

        Score spreadOnly = Scoring.score(POLICY.withWeights(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ZERO),
                Duration.ofMillis(250), rate, Optional.empty());
        assertThat(spreadOnly.total()).isEqualTo("0.9351");
        assertThat(spreadOnly.quota()).isEqualTo("1.0000");
    }

    @Test
    void clampsEachComponentToZeroAndOne() {
        ProviderRate wide = new ProviderRate("p", USD_JPY, new BigDecimal("100"), new BigDecimal("150"), Instant.EPOCH);

        Score score = Scoring.score(POLICY, Duration.ofMillis(1500), wide, Optional.of(new Scoring.QuotaLeft(0, 10)));

        assertThat(score.latency()).isEqualTo("0.0000");
        assertThat(score.spread()).isEqualTo("0.0000");
        assertThat(score.quota()).isEqualTo("0.0000");
        assertThat(score.total()).isEqualTo("0.0000");
    }
}
