package ledger.fx.quote;

import java.math.BigDecimal;
import java.time.Instant;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejection;
import ledger.fx.FxRejectionCode;
import ledger.fx.convert.Conversion;
import ledger.fx.convert.Converter;
import ledger.fx.route.RoutingDecision;

/**
 * A price locked for a while (docs/fx.md, "Quotes"): converting {@code from} into {@code to} at
 * {@code rate}, valid from {@code obtainedAt} (inclusive) to {@code expiresAt} (exclusive).
 * {@code bid}/{@code ask} are the winning provider's price of the pair from/to; the customer sells
 * {@code from}, so {@code rate} is the bid. {@code mid} values the spread.
 */
public record Quote(String id, CurrencyCode from, CurrencyCode to, BigDecimal rate, BigDecimal bid, BigDecimal ask,
                    BigDecimal mid, String provider, Instant obtainedAt, Instant expiresAt, RoutingDecision decision) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Converts a source amount in {@code from} at this quote's rate; the caller checks expiry. */
    public Conversion sell(Money source) {
        requireCurrency(source, from, "the amount to convert");
        return Converter.sell(source, to, rate, mid);
    }

    /** The source amount needed to receive {@code destination} in {@code to}; the caller checks expiry. */
    public Conversion buy(Money destination) {
        requireCurrency(destination, to, "the amount to receive");
        return Converter.buy(destination, from, rate, mid);
    }

    private void requireCurrency(Money amount, CurrencyCode expected, String what) {
        if (!amount.currency().equals(expected)) {
            throw new FxRejection(FxRejectionCode.CURRENCY_MISMATCH, what + " is in " + amount.currency().code()
                    + " but quote " + id + " converts " + from.code() + " into " + to.code());
        }
    }
}
