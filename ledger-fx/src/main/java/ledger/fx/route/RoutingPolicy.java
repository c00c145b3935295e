package ledger.fx.route;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * How the router asks and chooses (docs/fx.md, "Routing").
 *
 * @param timeout        how long one decision waits for all providers together
 * @param maxAge         an answer older than this (by the router's clock) is stale, unless the
 *                       provider's slot sets its own
 * @param latencyWeight  weight of the latency component of the score
 * @param spreadWeight   weight of the spread component
 * @param quotaWeight    weight of the remaining-quota component
 * @param spreadCap      the relative spread ((ask − bid) / mid) that scores 0; 0 spread scores 1
 * @param threadsMax     providers asked at the same time across all decisions; beyond it a
 *                       provider is recorded as failed, not queued
 */
public record RoutingPolicy(Duration timeout, Duration maxAge, BigDecimal latencyWeight, BigDecimal spreadWeight,
                            BigDecimal quotaWeight, BigDecimal spreadCap, int threadsMax) {
    public static final Duration TIMEOUT_MAX = Duration.ofSeconds(30);
    public static final int THREADS_MAX = 256;

    public RoutingPolicy {
        require(timeout != null && !timeout.isNegative() && !timeout.isZero() && timeout.compareTo(TIMEOUT_MAX) <= 0,
                "timeout must be above zero and at most " + TIMEOUT_MAX + ": " + timeout);
        require(maxAge != null && !maxAge.isNegative() && !maxAge.isZero(), "maxAge must be above zero: " + maxAge);
        require(nonNegative(latencyWeight) && nonNegative(spreadWeight) && nonNegative(quotaWeight),
                "weights must be zero or more");
        require(latencyWeight.add(spreadWeight).add(quotaWeight).signum() > 0, "at least one weight must be above zero");
        require(spreadCap != null && spreadCap.signum() > 0, "spreadCap must be above zero: " + spreadCap);
        require(threadsMax >= 1 && threadsMax <= THREADS_MAX, "threadsMax must be in 1.." + THREADS_MAX + ": " + threadsMax);
    }

    /** Equal weights, a 2 % spread scoring 0. */
    public static RoutingPolicy of(Duration timeout, Duration maxAge) {
        return new RoutingPolicy(timeout, maxAge, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                new BigDecimal("0.02"), 32);
    }

    public RoutingPolicy withWeights(BigDecimal latency, BigDecimal spread, BigDecimal quota) {
        return new RoutingPolicy(timeout, maxAge, latency, spread, quota, spreadCap, threadsMax);
    }

    private static boolean nonNegative(BigDecimal value) {
        return value != null && value.signum() >= 0;
    }

    private static void require(boolean condition, String why) {
        if (!condition) {
            throw new IllegalArgumentException("routing policy: " + why);
        }
    }
}
