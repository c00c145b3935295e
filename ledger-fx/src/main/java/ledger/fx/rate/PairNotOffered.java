package ledger.fx.rate;

/**
 * The provider works but does not price this pair. Not a fault of the provider: the router's
 * circuit breaker ignores it.
 */
public final class PairNotOffered extends RateProviderException {
    public PairNotOffered(String provider, CurrencyPair pair) {
        super(provider + " does not offer " + pair);
    }
}
