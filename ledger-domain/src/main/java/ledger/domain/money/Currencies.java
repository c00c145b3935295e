package ledger.domain.money;

import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;

/**
 * The table of currencies the ledger accepts: every ISO 4217 currency the JDK knows with a
 * defined minor unit (so JPY has 0 decimals, USD 2, BHD 3; XAU and XXX have none and are not
 * money here), extended by configured assets such as {@code USDC:6}.
 */
public final class Currencies {
    private static final Currencies ISO = new Currencies(Map.of());

    private final Map<String, CurrencyCode> byCode;

    private Currencies(Map<String, Integer> extra) {
        Map<String, CurrencyCode> table = new HashMap<>();
        for (Currency currency : Currency.getAvailableCurrencies()) {
            int digits = currency.getDefaultFractionDigits();
            if (digits >= 0) {
                table.put(currency.getCurrencyCode(), new CurrencyCode(currency.getCurrencyCode(), digits));
            }
        }
        extra.forEach((code, scale) -> table.put(code, new CurrencyCode(code, scale)));
        this.byCode = Map.copyOf(table);
    }

    /** ISO 4217 only. */
    public static Currencies iso() {
        return ISO;
    }

    /** ISO 4217 plus configured assets; an asset may not redefine an ISO code's scale. */
    public static Currencies withAssets(Map<String, Integer> assets) {
        assets.forEach((code, scale) -> {
            CurrencyCode iso = ISO.byCode.get(code);
            if (iso != null && iso.scale() != scale) {
                throw new IllegalArgumentException("asset " + code + " would change the ISO 4217 scale " + iso.scale());
            }
        });
        return new Currencies(assets);
    }

    public Optional<CurrencyCode> find(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    public CurrencyCode resolve(String code) {
        return find(code).orElseThrow(() -> new LedgerRejection(RejectionCode.UNKNOWN_CURRENCY,
                "unknown currency: " + (code == null ? "null" : '"' + code + '"')));
    }
}
