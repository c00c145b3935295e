package ledger.api.tax;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;

/**
 * The jurisdictions the pre-fill knows: the rule pack it evaluates, the currency of its figures and
 * the output that is the amount to withhold for the month (docs/tax-prefill.md, "Jurisdictions").
 */
public enum Jurisdiction {
    CN("cn-iit-wages-cumulative", "CNY", "withholding_this_month"),
    DE("de-lohnsteuer", "EUR", "withholding_period"),
    JP("jp-withholding-monthly-kou", "JPY", "withholding_tax");

    private final String pack;
    private final String currency;
    private final String withholdingOutput;

    Jurisdiction(String pack, String currency, String withholdingOutput) {
        this.pack = pack;
        this.currency = currency;
        this.withholdingOutput = withholdingOutput;
    }

    public String pack() {
        return pack;
    }

    public String currency() {
        return currency;
    }

    public String withholdingOutput() {
        return withholdingOutput;
    }

    /** {@code CN}, {@code DE} or {@code JP} (exactly; ISO 3166-1 alpha-2), else {@code unknown_jurisdiction}. */
    public static Jurisdiction parse(String text, String field) {
        if (text == null || text.isEmpty()) {
            throw Refusal.validation(field + " is required (" + names() + ")");
        }
        return Arrays.stream(values()).filter(j -> j.name().equals(text)).findFirst()
                .orElseThrow(() -> new Refusal(Codes.UNKNOWN_JURISDICTION, field + " \""
                        + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "\" is not a jurisdiction"
                        + " with tax pre-fill (" + names() + ")"
                        + (Arrays.stream(values()).anyMatch(j -> j.name().equals(text.toUpperCase(Locale.ROOT)))
                        ? "; codes are upper case" : "")));
    }

    static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
