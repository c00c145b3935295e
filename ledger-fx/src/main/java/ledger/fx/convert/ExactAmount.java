package ledger.fx.convert;

import java.math.BigDecimal;
import ledger.domain.model.Invariants;
import ledger.domain.money.CurrencyCode;

/**
 * An exact value in a currency that may be finer than its minor unit (a product of an amount and
 * a rate before rounding). Never rounded implicitly; {@link ledger.domain.money.Money} is what gets
 * posted.
 */
public record ExactAmount(BigDecimal value, CurrencyCode currency) {
    public ExactAmount {
        Invariants.check(value != null && currency != null, "an exact amount has a value and a currency");
    }

    @Override
    public String toString() {
        return value.toPlainString() + " " + currency.code();
    }
}
