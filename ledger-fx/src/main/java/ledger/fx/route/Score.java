package ledger.fx.route;

import java.math.BigDecimal;

/**
 * The score of one answer (docs/fx.md, "Scoring"): three components in [0, 1], 1 best, each
 * rounded to {@value Scoring#SCALE} decimals HALF_EVEN, and their weighted mean {@code total}
 * computed from the rounded components, so the explanation adds up as printed.
 */
public record Score(BigDecimal latency, BigDecimal spread, BigDecimal quota, BigDecimal total) {
}
