package ledger.fx.rate;

/**
 * A source of two-sided prices. Implementations are called from the router's threads, possibly
 * for several pairs at once, so they are thread-safe. A provider that cannot answer throws
 * {@link RateProviderException} with a message that says where and why.
 */
public interface RateProvider {
    /** Unique among the router's providers; it names the provider in decisions and breakers. */
    String name();

    /** The price of {@code pair} (units of {@code pair.quote()} per unit of {@code pair.base()}). */
    ProviderRate rate(CurrencyPair pair) throws RateProviderException;
}
