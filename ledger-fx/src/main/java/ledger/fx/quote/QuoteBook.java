package ledger.fx.quote;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejection;
import ledger.fx.FxRejectionCode;
import ledger.fx.convert.Conversion;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;
import ledger.fx.route.RateRouter;
import ledger.fx.route.RoutingDecision;

/**
 * Issues quotes from the router's best rate and honours them until they expire (docs/fx.md,
 * "Quotes"). Held in memory: a quote is a short promise, not history; the settlement that uses
 * one records its rate in its own events. Expired quotes are dropped when the book is full.
 */
public final class QuoteBook {
    public static final int QUOTES_MAX_LIMIT = 1_000_000;

    private final RateRouter router;
    private final Duration ttl;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final int quotesMax;
    private final Map<String, Quote> quotes = new ConcurrentHashMap<>();

    public QuoteBook(RateRouter router, Duration ttl, Clock clock, Supplier<UUID> ids, int quotesMax) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("quote ttl must be above zero: " + ttl);
        }
        if (quotesMax < 1 || quotesMax > QUOTES_MAX_LIMIT) {
            throw new IllegalArgumentException("quotesMax must be in 1.." + QUOTES_MAX_LIMIT + ": " + quotesMax);
        }
        this.router = router;
        this.ttl = ttl;
        this.clock = clock;
        this.ids = ids;
        this.quotesMax = quotesMax;
    }

    /**
     * A quote for converting {@code from} into {@code to}; {@code amount} (in either currency)
     * chooses the providers' tier. Refused with {@code rate_unavailable} when no provider answers.
     */
    public Quote issue(CurrencyCode from, CurrencyCode to, Money amount) {
        if (from.equals(to)) {
            throw new FxRejection(FxRejectionCode.CURRENCY_MISMATCH, "a quote converts between two currencies, got "
                    + from.code() + " twice");
        }
        if (!amount.currency().equals(from) && !amount.currency().equals(to)) {
            throw new FxRejection(FxRejectionCode.CURRENCY_MISMATCH, "the amount is in " + amount.currency().code()
                    + ", neither " + from.code() + " nor " + to.code());
        }
        if (!amount.isPositive()) {
            throw new FxRejection(FxRejectionCode.AMOUNT_INVALID, "the amount must be above zero: " + amount);
        }
        makeRoom();
        RoutingDecision decision = router.best(new CurrencyPair(from, to), amount);
        ProviderRate price = decision.winningRate().orElseThrow();
        Instant obtainedAt = clock.instant();
        Quote quote = new Quote(ids.get().toString(), from, to, price.bid(), price.bid(), price.ask(), price.mid(),
                price.provider(), obtainedAt, obtainedAt.plus(ttl), decision);
        quotes.put(quote.id(), quote);
        return quote;
    }

    /** The quote, if it is still valid now; {@code quote_not_found} or {@code quote_expired} otherwise. */
    public Quote find(String id) {
        Quote quote = quotes.get(id);
        if (quote == null) {
            throw new FxRejection(FxRejectionCode.QUOTE_NOT_FOUND, "no quote " + id);
        }
        Instant now = clock.instant();
        if (quote.expiredAt(now)) {
            throw new FxRejection(FxRejectionCode.QUOTE_EXPIRED, "quote " + id + " expired at " + quote.expiresAt()
                    + "; it is now " + now);
        }
        return quote;
    }

    /** Converts a source amount at a valid quote. */
    public Conversion sell(String quoteId, Money source) {
        return find(quoteId).sell(source);
    }

    /** The source amount needed to receive {@code destination} at a valid quote. */
    public Conversion buy(String quoteId, Money destination) {
        return find(quoteId).buy(destination);
    }

    public int size() {
        return quotes.size();
    }

    private void makeRoom() {
        if (quotes.size() < quotesMax) {
            return;
        }
        Instant now = clock.instant();
        quotes.values().removeIf(q -> q.expiredAt(now));
        if (quotes.size() >= quotesMax) {
            throw new FxRejection(FxRejectionCode.QUOTE_BOOK_FULL, quotesMax + " quotes are valid at once; try again after "
                    + ttl + " at most");
        }
    }
}
