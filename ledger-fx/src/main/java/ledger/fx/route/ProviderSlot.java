package ledger.fx.route;

import java.time.Duration;
import java.util.Optional;
import ledger.fx.rate.RateProvider;

/**
 * A provider as the router sees it: an optional quota, and an optional maximum age of its rates
 * that replaces the policy's (the ECB publishes once a day, a dealer's feed every second).
 */
public record ProviderSlot(RateProvider provider, Optional<Quota> quota, Optional<Duration> maxAge) {
    public ProviderSlot {
        if (provider == null) {
            throw new IllegalArgumentException("a slot needs a provider");
        }
        quota = quota == null ? Optional.empty() : quota;
        maxAge = maxAge == null ? Optional.empty() : maxAge;
    }

    public static ProviderSlot of(RateProvider provider) {
        return new ProviderSlot(provider, Optional.empty(), Optional.empty());
    }

    public ProviderSlot withQuota(Quota limit) {
        return new ProviderSlot(provider, Optional.of(limit), maxAge);
    }

    public ProviderSlot withMaxAge(Duration age) {
        return new ProviderSlot(provider, quota, Optional.of(age));
    }

    public String name() {
        return provider.name();
    }
}
