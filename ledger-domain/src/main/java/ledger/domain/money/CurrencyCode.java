package ledger.domain.money;

import ledger.domain.model.Invariants;

/**
 * A currency (or configured asset) and the number of decimals of its minor unit: ISO 4217 data,
 * looked up in {@link Currencies}, never guessed.
 */
public record CurrencyCode(String code, int scale) {
    public static final int SCALE_MAX = 18;

    public CurrencyCode {
        Invariants.check(code != null && code.matches("[A-Z][A-Z0-9]{2,11}"), "currency code form: " + code);
        Invariants.check(scale >= 0 && scale <= SCALE_MAX, "currency scale in 0.." + SCALE_MAX);
    }

    @Override
    public String toString() {
        return code;
    }
}
