package ledger.fx.route;

import java.time.Duration;
import java.util.Optional;
import ledger.fx.rate.ProviderRate;

/**
 * One provider in one decision: what became of it and why, how long it took (when it was asked),
 * the rate it gave (answered or stale) and the score (answered only).
 */
public record ProviderOutcome(String provider, Outcome outcome, String detail, Optional<Duration> latency,
                              Optional<ProviderRate> rate, Optional<Score> score) {

    static ProviderOutcome answered(ProviderRate rate, Duration latency, Score score) {
        return new ProviderOutcome(rate.provider(), Outcome.ANSWERED, "answered", Optional.of(latency),
                Optional.of(rate), Optional.of(score));
    }

    static ProviderOutcome stale(ProviderRate rate, Duration latency, Duration age, Duration maxAge) {
        return new ProviderOutcome(rate.provider(), Outcome.STALE,
                "rate as of " + rate.asOf() + " is " + age + " old, more than the " + maxAge + " allowed",
                Optional.of(latency), Optional.of(rate), Optional.empty());
    }

    static ProviderOutcome notAnswered(String provider, Outcome outcome, String detail, Optional<Duration> latency) {
        return new ProviderOutcome(provider, outcome, detail, latency, Optional.empty(), Optional.empty());
    }
}
