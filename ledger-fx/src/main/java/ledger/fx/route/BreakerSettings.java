package ledger.fx.route;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import ledger.fx.rate.PairNotOffered;

/**
 * The circuit breaker given to every provider (one breaker each): over the last
 * {@code windowCalls} calls, once at least {@code minimumCalls} were made, a failure rate of
 * {@code failureRatePercent} or more opens it for {@code openFor}; then {@code halfOpenCalls} trial
 * calls decide whether it closes. Timeouts and failures count as failures; a stale answer counts
 * as a call that worked; {@link PairNotOffered} is ignored.
 */
public record BreakerSettings(float failureRatePercent, int windowCalls, int minimumCalls, Duration openFor,
                              int halfOpenCalls) {
    public BreakerSettings {
        if (failureRatePercent <= 0 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must be in (0, 100]: " + failureRatePercent);
        }
        if (windowCalls < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
            throw new IllegalArgumentException("windowCalls, minimumCalls and halfOpenCalls must be at least 1");
        }
        if (openFor == null || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("openFor must be above zero: " + openFor);
        }
    }

    public static BreakerSettings defaults() {
        return new BreakerSettings(50, 20, 10, Duration.ofSeconds(30), 3);
    }

    /** Every option passed explicitly, with the router's clock so the open period follows it. */
    CircuitBreakerConfig toConfig(Clock clock) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRatePercent)
                .slidingWindow(windowCalls, minimumCalls, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1)) // slowness is the router's timeout's business
                .ignoreExceptions(PairNotOffered.class)
                .clock(clock)
                .build();
    }
}
