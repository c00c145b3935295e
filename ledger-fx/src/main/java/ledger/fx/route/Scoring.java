package ledger.fx.route;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;
import ledger.fx.rate.ProviderRate;

/**
 * The score of an answer (docs/fx.md, "Scoring"). Each component is in [0, 1], 1 best:
 * <ul>
 *   <li>latency: 1 − latency / timeout;</li>
 *   <li>spread: 1 − ((ask − bid) / mid) / spreadCap;</li>
 *   <li>quota: calls left after this one / callsMax, 1 without a quota.</li>
 * </ul>
 * The total is the weighted mean of the rounded components. Scores are not money, but they are
 * BigDecimal too, so a decision prints and compares the same on every machine.
 */
public final class Scoring {
    public static final int SCALE = 4;
    private static final MathContext WORKING = new MathContext(12, RoundingMode.HALF_EVEN);

    private Scoring() {
    }

    public static Score score(RoutingPolicy policy, Duration latency, ProviderRate rate, Optional<QuotaLeft> quota) {
        BigDecimal latencyPart = complement(ratio(BigDecimal.valueOf(latency.toNanos()), BigDecimal.valueOf(policy.timeout().toNanos())));
        BigDecimal spreadPart = complement(ratio(rate.relativeSpread(), policy.spreadCap()));
        BigDecimal quotaPart = quota.map(q -> clamp(ratio(BigDecimal.valueOf(q.remaining()), BigDecimal.valueOf(q.callsMax()))))
                .orElse(BigDecimal.ONE.setScale(SCALE, RoundingMode.HALF_EVEN));
        BigDecimal weighted = policy.latencyWeight().multiply(latencyPart)
                .add(policy.spreadWeight().multiply(spreadPart))
                .add(policy.quotaWeight().multiply(quotaPart));
        BigDecimal weights = policy.latencyWeight().add(policy.spreadWeight()).add(policy.quotaWeight());
        BigDecimal total = weighted.divide(weights, WORKING).setScale(SCALE, RoundingMode.HALF_EVEN);
        return new Score(latencyPart, spreadPart, quotaPart, total);
    }

    /** Calls left after this one, out of the quota's maximum. */
    public record QuotaLeft(long remaining, long callsMax) {
    }

    private static BigDecimal ratio(BigDecimal part, BigDecimal whole) {
        return part.divide(whole, WORKING);
    }

    private static BigDecimal complement(BigDecimal ratio) {
        return clamp(BigDecimal.ONE.subtract(ratio));
    }

    private static BigDecimal clamp(BigDecimal value) {
        BigDecimal bounded = value.max(BigDecimal.ZERO).min(BigDecimal.ONE);
        return bounded.setScale(SCALE, RoundingMode.HALF_EVEN);
    }
}
