package ledger.fx.route;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * Counts one provider's calls in the current {@link Quota} window, by the router's clock. Written
 * here rather than with a rate-limiting library because the router needs the window aligned to
 * the provider's period, the count left for scoring, and an injected clock for tests.
 */
final class QuotaCounter {
    private final Quota quota;
    private long window = Long.MIN_VALUE;
    private long used;

    QuotaCounter(Quota quota) {
        this.quota = quota;
    }

    Quota quota() {
        return quota;
    }

    /** Takes one call; the calls left afterwards, or empty when none was left. */
    synchronized OptionalLong tryUse(Instant now) {
        roll(now);
        if (used >= quota.callsMax()) {
            return OptionalLong.empty();
        }
        used++;
        return OptionalLong.of(quota.callsMax() - used);
    }

    synchronized long remaining(Instant now) {
        roll(now);
        return quota.callsMax() - used;
    }

    Instant windowEnd(Instant now) {
        long periodMs = quota.period().toMillis();
        return Instant.ofEpochMilli(Math.multiplyExact(Math.floorDiv(now.toEpochMilli(), periodMs) + 1, periodMs));
    }

    private void roll(Instant now) {
        long current = Math.floorDiv(now.toEpochMilli(), quota.period().toMillis());
        if (current != window) {
            window = current;
            used = 0;
        }
    }
}
