package ledger.fx.rate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import ledger.domain.model.Invariants;

/**
 * One provider's two-sided price for a pair at an instant: {@code bid} is what the provider pays in
 * quote currency for one unit of base, {@code ask} what it charges. Providers check their input
 * with {@link #problem} first (an operating error with a location); reaching the constructor with
 * a bad rate is a programming error.
 */
public record ProviderRate(String provider, CurrencyPair pair, BigDecimal bid, BigDecimal ask, Instant asOf) {
    public ProviderRate {
        Invariants.check(provider != null && !provider.isBlank(), "a rate names its provider");
        Invariants.check(pair != null && asOf != null, "a rate has a pair and an instant");
        Invariants.check(bid != null && ask != null, "a rate has a bid and an ask");
        Invariants.check(problem(bid, ask).isEmpty(), "rate checked before construction: " + problem(bid, ask));
    }

    /** Why this bid/ask is not acceptable, or empty. */
    public static Optional<String> problem(BigDecimal bid, BigDecimal ask) {
        Optional<String> bidProblem = RatePrecision.problem(bid).map(p -> "bid " + p);
        if (bidProblem.isPresent()) {
            return bidProblem;
        }
        Optional<String> askProblem = RatePrecision.problem(ask).map(p -> "ask " + p);
        if (askProblem.isPresent()) {
            return askProblem;
        }
        if (ask.compareTo(bid) < 0) {
            return Optional.of("ask " + ask.toPlainString() + " is below bid " + bid.toPlainString());
        }
        return Optional.empty();
    }

    /** A reference rate (no spread): bid = ask = {@code rate}. */
    public static ProviderRate reference(String provider, CurrencyPair pair, BigDecimal rate, Instant asOf) {
        return new ProviderRate(provider, pair, rate, rate, asOf);
    }

    /** (bid + ask) / 2 under rule {@link RatePrecision#MID}. */
    public BigDecimal mid() {
        return bid.add(ask).divide(BigDecimal.valueOf(2), RatePrecision.MID);
    }

    /** (ask − bid) / mid, to 12 significant digits; zero for a reference rate. */
    public BigDecimal relativeSpread() {
        return ask.subtract(bid).divide(mid(), RatePrecision.MID);
    }

    /**
     * The same price seen from the other side: a new bid of 1/ask and ask of 1/bid, under rule
     * {@link RatePrecision#OUTWARD_BID}/{@link RatePrecision#OUTWARD_ASK} (or rule
     * {@link RatePrecision#CROSS} for a reference rate, which has no side).
     */
    public ProviderRate inverse() {
        if (bid.compareTo(ask) == 0) {
            BigDecimal inverse = BigDecimal.ONE.divide(bid, RatePrecision.CROSS);
            return reference(provider, pair.inverse(), inverse, asOf);
        }
        BigDecimal newBid = BigDecimal.ONE.divide(ask, RatePrecision.OUTWARD_BID);
        BigDecimal newAsk = BigDecimal.ONE.divide(bid, RatePrecision.OUTWARD_ASK);
        return new ProviderRate(provider, pair.inverse(), newBid, newAsk, asOf);
    }
}
