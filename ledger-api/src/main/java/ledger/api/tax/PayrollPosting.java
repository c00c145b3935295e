package ledger.api.tax;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.LedgerRejection;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;

/**
 * What one posted transfer or entry says about payroll, read from its metadata
 * (docs/tax-prefill.md, "Payroll metadata"). A posting without {@code payroll.payee} is not payroll.
 * A posting that names a payee but cannot be used carries a {@code problem} and no amounts: the
 * processor records it (so the pre-fill can show it) and never stops on it.
 */
public record PayrollPosting(String tenant, String transferId, String payee, YearMonth period, String currency,
                             int scale, Map<PayrollCategory, Long> amounts, Map<String, String> inputs,
                             String problem) {

    public static final String PAYEE = "payroll.payee";
    public static final String PERIOD = "payroll.period";
    public static final String CATEGORY = "payroll.category";
    public static final String LEG_PREFIX = "payroll.leg.";
    public static final String DECLARED_PREFIX = "payroll.declared.";
    public static final String INPUT_PREFIX = "payroll.input.";
    /** Only these characters in an input name: the rule language's names. */
    private static final Pattern INPUT_NAME = Pattern.compile("[a-z][a-z0-9_]{0,49}");
    /** A payee id: the grammar of the ledger's own ids. */
    public static final Pattern PAYEE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Pattern PERIOD_TEXT = Pattern.compile("\\d{4}-\\d{2}");

    public boolean usable() {
        return problem == null;
    }

    /** Whether this metadata makes a posting a payroll posting. */
    public static boolean isPayroll(Map<String, String> metadata) {
        return metadata != null && metadata.containsKey(PAYEE);
    }

    /** The payroll facts of an event, or null when it names no payee. */
    public static PayrollPosting of(TransferPosted event, Currencies currencies) {
        return of(event.tenant(), event.transferId(), event.legs(), event.metadata(), currencies);
    }

    /**
     * The payroll facts of a posted transfer or entry given by its legs and metadata (for a pending
     * transfer: the metadata it was created with and the legs of the amount posted), or null when it
     * names no payee.
     */
    public static PayrollPosting of(String tenant, String transferId, List<Leg> legs, Map<String, String> metadata,
                                    Currencies currencies) {
        if (!isPayroll(metadata)) {
            return null;
        }
        String payee = metadata.get(PAYEE);
        try {
            return parse(tenant, transferId, legs, metadata, payee, currencies);
        } catch (Unusable e) {
            YearMonth period = period(metadata.get(PERIOD));
            return new PayrollPosting(tenant, transferId, payee, period, null, 0, Map.of(), Map.of(), e.getMessage());
        }
    }

    private static PayrollPosting parse(String tenant, String transferId, List<Leg> legs, Map<String, String> metadata,
                                        String payee, Currencies currencies) {
        if (!PAYEE_ID.matcher(payee).matches()) {
            throw new Unusable(PAYEE + " \"" + (payee.length() > 40 ? payee.substring(0, 40) + "…" : payee)
                    + "\" is not a payee id (1-128 letters, digits and . _ : @ -)");
        }
        String periodText = metadata.get(PERIOD);
        if (periodText == null) {
            throw new Unusable(PERIOD + " is missing (YYYY-MM)");
        }
        YearMonth period = period(periodText);
        if (period == null) {
            throw new Unusable(PERIOD + " \"" + periodText + "\" is not a month YYYY-MM");
        }
        String currency = legs.get(0).currency();
        for (Leg leg : legs) {
            if (!leg.currency().equals(currency)) {
                throw new Unusable("payroll postings are in one currency; this one moves " + currency + " and "
                        + leg.currency());
            }
        }
        CurrencyCode code = currencies.resolve(currency);
        Map<PayrollCategory, Long> amounts = new EnumMap<>(PayrollCategory.class);
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(metadata).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals(CATEGORY)) {
                add(amounts, category(key, value), debits(legs), key);
            } else if (key.startsWith(LEG_PREFIX)) {
                add(amounts, category(key, key.substring(LEG_PREFIX.length())), leg(legs, value, key), key);
            } else if (key.startsWith(DECLARED_PREFIX)) {
                add(amounts, category(key, key.substring(DECLARED_PREFIX.length())), declared(value, code, key), key);
            } else if (key.startsWith(INPUT_PREFIX)) {
                String name = key.substring(INPUT_PREFIX.length());
                if (!INPUT_NAME.matcher(name).matches()) {
                    throw new Unusable(key + ": \"" + name + "\" is not an input name (lower case letters, digits, _)");
                }
                inputs.put(name, value);
            }
        }
        if (amounts.isEmpty() && inputs.isEmpty()) {
            throw new Unusable("names payee \"" + payee + "\" but neither " + CATEGORY + " nor any "
                    + LEG_PREFIX + "*, " + DECLARED_PREFIX + "* or " + INPUT_PREFIX + "* key");
        }
        return new PayrollPosting(tenant, transferId, payee, period, currency, code.scale(),
                Map.copyOf(amounts), Map.copyOf(inputs), null);
    }

    private static YearMonth period(String text) {
        if (text == null || !PERIOD_TEXT.matcher(text).matches()) {
            return null;
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static PayrollCategory category(String key, String text) {
        return PayrollCategory.parse(text).orElseThrow(() -> new Unusable(key + ": unknown category \"" + text
                + "\" (categories: " + PayrollCategory.wireNames() + ")"));
    }

    private static void add(Map<PayrollCategory, Long> amounts, PayrollCategory category, long minor, String key) {
        if (amounts.putIfAbsent(category, minor) != null) {
            throw new Unusable(key + ": category " + category.wire() + " is given twice on one posting");
        }
    }

    /** A transfer's amount, or an entry's total debits (equal to its credits). */
    private static long debits(List<Leg> legs) {
        long sum = 0;
        for (Leg leg : legs) {
            if ("debit".equals(leg.side())) {
                sum = Math.addExact(sum, Money.minorOf(leg.amount()));
            }
        }
        return sum;
    }

    private static long leg(List<Leg> legs, String account, String key) {
        for (Leg leg : legs) {
            if (leg.accountId().equals(account)) {
                return Money.minorOf(leg.amount());
            }
        }
        throw new Unusable(key + ": account \"" + account + "\" has no leg in this posting");
    }

    private static long declared(String text, CurrencyCode currency, String key) {
        try {
            return Money.parsePositive(text, currency).minor();
        } catch (LedgerRejection e) {
            throw new Unusable(key + ": " + e.getMessage());
        }
    }

    /** The amount of a category in the posting's currency, as a decimal. */
    public BigDecimal amount(PayrollCategory category) {
        Long minor = amounts.get(category);
        return minor == null ? null : BigDecimal.valueOf(minor, scale);
    }

    /** Why a posting's payroll metadata cannot be used. */
    private static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }
}
