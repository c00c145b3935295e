package ledger.fx.route;

import java.time.Duration;

/**
 * A provider's allowance: at most {@code callsMax} calls per {@code period}. Periods are fixed
 * windows counted from 1970-01-01T00:00:00Z (a day period starts at 00:00 UTC), as most rate
 * services count them.
 */
public record Quota(long callsMax, Duration period) {
    public Quota {
        if (callsMax < 1) {
            throw new IllegalArgumentException("quota callsMax must be at least 1: " + callsMax);
        }
        if (period == null || period.toMillis() < 1) {
            throw new IllegalArgumentException("quota period must be at least 1 ms: " + period);
        }
    }
}
