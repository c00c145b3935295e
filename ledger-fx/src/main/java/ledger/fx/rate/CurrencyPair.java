package ledger.fx.rate;

import ledger.domain.model.Invariants;
import ledger.domain.money.CurrencyCode;

/**
 * A currency pair as quoted: a price is a number of {@code quote} units for one {@code base} unit
 * ({@code USD/JPY 154.10} means 154.10 JPY for 1 USD).
 */
public record CurrencyPair(CurrencyCode base, CurrencyCode quote) {
    public CurrencyPair {
        Invariants.check(base != null && quote != null, "a pair has two currencies");
        Invariants.check(!base.equals(quote), "a pair has two different currencies: " + base);
    }

    public CurrencyPair inverse() {
        return new CurrencyPair(quote, base);
    }

    @Override
    public String toString() {
        return base.code() + "/" + quote.code();
    }
}
