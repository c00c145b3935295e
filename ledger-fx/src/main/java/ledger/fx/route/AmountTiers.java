package ledger.fx.route;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;

/**
 * Which providers are asked for which amount (docs/fx.md, "Amount tiers"). Tiers are listed from
 * the smallest amounts up. The first tier takes every amount; each later tier names, per
 * currency, the amount from which (inclusive) it takes over. An amount is placed in the last tier
 * whose threshold in the amount's own currency it reaches; a currency a tier names no threshold
 * for never reaches that tier.
 */
public final class AmountTiers {
    public static final int TIERS_MAX = 16;

    private final List<Tier> tiers;

    /**
     * @param name       shown in decisions
     * @param providers  provider names asked in this tier, in order of preference on equal scores
     * @param from       per currency, the smallest amount of this tier; empty for the first tier
     */
    public record Tier(String name, List<String> providers, Map<CurrencyCode, BigDecimal> from) {
        public Tier {
            providers = List.copyOf(providers);
            from = Map.copyOf(from);
        }

        public static Tier of(String name, List<String> providers) {
            return new Tier(name, providers, Map.of());
        }

        public Tier from(CurrencyCode currency, String amount) {
            Map<CurrencyCode, BigDecimal> thresholds = new HashMap<>(from);
            thresholds.put(currency, new BigDecimal(amount));
            return new Tier(name, providers, thresholds);
        }
    }

    private AmountTiers(List<Tier> tiers) {
        this.tiers = List.copyOf(tiers);
    }

    /** One tier, named "all", asking the same providers for every amount. */
    public static AmountTiers single(List<String> providers) {
        return of(List.of(Tier.of("all", providers)));
    }

    public static AmountTiers of(List<Tier> tiers) {
        if (tiers.isEmpty() || tiers.size() > TIERS_MAX) {
            throw new IllegalArgumentException("amount tiers: between 1 and " + TIERS_MAX + " tiers, got " + tiers.size());
        }
        if (!tiers.get(0).from().isEmpty()) {
            throw new IllegalArgumentException("amount tiers: the first tier \"" + tiers.get(0).name()
                    + "\" takes every amount and has no threshold");
        }
        Set<String> names = new HashSet<>();
        Map<CurrencyCode, BigDecimal> previous = new HashMap<>();
        for (Tier tier : tiers) {
            if (!names.add(tier.name())) {
                throw new IllegalArgumentException("amount tiers: \"" + tier.name() + "\" is named twice");
            }
            if (tier.providers().isEmpty()) {
                throw new IllegalArgumentException("amount tiers: \"" + tier.name() + "\" names no provider");
            }
            for (Map.Entry<CurrencyCode, BigDecimal> threshold : tier.from().entrySet()) {
                BigDecimal below = previous.get(threshold.getKey());
                if (threshold.getValue().signum() <= 0 || (below != null && threshold.getValue().compareTo(below) <= 0)) {
                    throw new IllegalArgumentException("amount tiers: \"" + tier.name() + "\" starts at "
                            + threshold.getValue().toPlainString() + " " + threshold.getKey()
                            + ", which must be above zero and above the previous tier's threshold");
                }
                previous.put(threshold.getKey(), threshold.getValue());
            }
        }
        return new AmountTiers(tiers);
    }

    public List<Tier> tiers() {
        return tiers;
    }

    public Tier tierFor(Money amount) {
        BigDecimal value = BigDecimal.valueOf(amount.minor(), amount.currency().scale());
        for (int i = tiers.size() - 1; i > 0; i--) {
            BigDecimal threshold = tiers.get(i).from().get(amount.currency());
            if (threshold != null && value.compareTo(threshold) >= 0) {
                return tiers.get(i);
            }
        }
        return tiers.get(0);
    }

    /** Every provider name any tier asks. */
    public Set<String> providerNames() {
        Set<String> all = new HashSet<>();
        tiers.forEach(t -> all.addAll(t.providers()));
        return all;
    }
}
