package ledger.api.tax;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.domain.model.RejectionCode;
import ledger.domain.money.Currencies;
import ledger.tax.rules.Evaluation;
import ledger.tax.rules.RuleEvaluationException;
import ledger.tax.rules.RuleLibrary;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.Type;
import ledger.tax.rules.Value;

/**
 * Evaluates rule packs on explicit inputs, and pre-fills a payee's withholding for a month from the
 * payroll read model (docs/tax-prefill.md, "Pre-fill"): the figures a pack needs that the ledger
 * knows come from the payee's postings (year to date where the pack is cumulative), the payee's
 * static inputs from {@code payroll.input.*}, the rest from the pack's defaults. The read model lags
 * the ledger (a tracking processor), so a pre-fill reflects the postings it has seen so far.
 */
public final class TaxPrefill {
    private final RuleLibrary library;
    private final TaxPrefillStore store;
    private final Currencies currencies;

    TaxPrefill(RuleLibrary library, TaxPrefillStore store, Currencies currencies) {
        this.library = library;
        this.store = store;
        this.currencies = currencies;
    }

    /** The pack of this name valid on {@code date}, else {@code tax_pack_not_found}. */
    public RulePack pack(String name, LocalDate date) {
        try {
            return library.find(name, date);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Codes.TAX_PACK_NOT_FOUND, e.getMessage());
        }
    }

    /** Evaluates the pack; inputs it refuses are {@code tax_input_invalid} with the pack's own reason. */
    public Evaluation evaluate(RulePack pack, Map<String, Value> inputs) {
        try {
            return pack.evaluate(inputs);
        } catch (RuleEvaluationException e) {
            throw new Refusal(Codes.TAX_INPUT_INVALID, "pack " + pack.id().name() + " " + pack.id().version()
                    + ": " + e.getMessage());
        }
    }

    /** One figure of a pre-fill: the input's value and where it came from. */
    public record Input(String name, Value value, String source) {
    }

    /** The payee's sums of one month, per category, in the jurisdiction's currency. */
    public record Month(YearMonth period, Map<PayrollCategory, BigDecimal> amounts) {
    }

    /** A pre-filled withholding: the pack, its inputs and their sources, the months read, and the evaluation. */
    public record Prefill(Jurisdiction jurisdiction, String payee, YearMonth period, List<Input> inputs,
                          List<Month> months, List<TaxPrefillStore.Unusable> unusablePostings,
                          Evaluation evaluation) {
        public Value.Money withholding() {
            return (Value.Money) evaluation.output(jurisdiction.withholdingOutput());
        }
    }

    public Prefill prefill(String tenant, Jurisdiction jurisdiction, YearMonth period, String payee) {
        RulePack pack = pack(jurisdiction.pack(), period.atEndOfMonth());
        List<Month> months = months(tenant, payee, jurisdiction, period);
        Month current = months.isEmpty() ? null : months.get(months.size() - 1);
        if (current == null || !current.period().equals(period)
                || !current.amounts().containsKey(PayrollCategory.GROSS_WAGE)) {
            throw new Refusal(Codes.PAYROLL_PERIOD_EMPTY, "payee \"" + payee + "\" has no "
                    + PayrollCategory.GROSS_WAGE.wire() + " posted for " + period + " (in " + jurisdiction.currency()
                    + ") that the tax pre-fill has processed; post it with metadata " + PayrollPosting.PAYEE + ", "
                    + PayrollPosting.PERIOD + " and " + PayrollPosting.CATEGORY + "=" + PayrollCategory.GROSS_WAGE.wire()
                    + ", or retry if it was posted a moment ago (the read model follows the ledger asynchronously)");
        }
        Map<String, Input> inputs = new LinkedHashMap<>();
        for (Input input : ledgerInputs(jurisdiction, pack, months, period)) {
            inputs.put(input.name(), input);
        }
        payeeInputs(tenant, payee, period, pack, inputs);
        Map<String, Value> values = new LinkedHashMap<>();
        inputs.values().forEach(i -> values.put(i.name(), i.value()));
        Evaluation evaluation = evaluate(pack, values);
        List<TaxPrefillStore.Unusable> unusable = store.unusable(tenant, payee, YearMonth.of(period.getYear(), 1),
                period);
        return new Prefill(jurisdiction, payee, period, List.copyOf(inputs.values()), months, unusable, evaluation);
    }

    /** The payee's months of the year up to {@code period} that have postings, oldest first. */
    private List<Month> months(String tenant, String payee, Jurisdiction jurisdiction, YearMonth period) {
        YearMonth january = YearMonth.of(period.getYear(), 1);
        Map<YearMonth, Map<PayrollCategory, BigDecimal>> byMonth = new TreeMap<>();
        Set<String> otherCurrencies = new TreeSet<>();
        for (TaxPrefillStore.PeriodSum sum : store.sums(tenant, payee, january, period)) {
            if (!sum.currency().equals(jurisdiction.currency())) {
                otherCurrencies.add(sum.currency() + " in " + sum.period());
                continue;
            }
            byMonth.computeIfAbsent(sum.period(), p -> new EnumMap<>(PayrollCategory.class))
                    .merge(sum.category(), BigDecimal.valueOf(sum.amount(), sum.scale()), BigDecimal::add);
        }
        if (!otherCurrencies.isEmpty()) {
            throw new Refusal(RejectionCode.CURRENCY_MISMATCH.code(), "the " + jurisdiction + " pre-fill needs payroll "
                    + "postings in " + jurisdiction.currency() + "; payee \"" + payee + "\" has postings in "
                    + String.join(", ", otherCurrencies));
        }
        List<Month> months = new ArrayList<>();
        byMonth.forEach((p, amounts) -> months.add(new Month(p, Map.copyOf(amounts))));
        return months;
    }

    /** The inputs the ledger's figures give, per jurisdiction (docs/tax-prefill.md, "Jurisdictions"). */
    private List<Input> ledgerInputs(Jurisdiction jurisdiction, RulePack pack, List<Month> months,
                                            YearMonth period) {
        String currency = jurisdiction.currency();
        Month current = months.get(months.size() - 1);
        List<Input> inputs = new ArrayList<>();
        switch (jurisdiction) {
            case CN -> {
                YearMonth first = months.stream().filter(m -> m.amounts().containsKey(PayrollCategory.GROSS_WAGE))
                        .findFirst().orElseThrow().period();
                String range = YearMonth.of(period.getYear(), 1) + ".." + period;
                inputs.add(new Input("months_employed", Value.integer(period.getMonthValue()
                        - first.getMonthValue() + 1L), "months from the first gross_wage of the year (" + first
                        + ") to " + period));
                inputs.add(cumulative("cumulative_income", PayrollCategory.GROSS_WAGE, months, period, currency, range));
                inputs.add(cumulative("cumulative_tax_exempt_income", PayrollCategory.TAX_EXEMPT_INCOME, months,
                        period, currency, range));
                inputs.add(cumulative("cumulative_special_deductions", PayrollCategory.SOCIAL_INSURANCE, months,
                        period, currency, range));
                inputs.add(cumulative("cumulative_special_additional_deductions",
                        PayrollCategory.SPECIAL_ADDITIONAL_DEDUCTION, months, period, currency, range));
                inputs.add(cumulative("cumulative_other_deductions", PayrollCategory.OTHER_DEDUCTION, months, period,
                        currency, range));
                inputs.add(cumulative("cumulative_tax_relief", PayrollCategory.TAX_RELIEF, months, period, currency,
                        range));
                YearMonth before = period.minusMonths(1);
                inputs.add(period.getMonthValue() == 1
                        ? new Input("tax_withheld_so_far", Value.money(zero(currency), currency),
                        "nothing withheld before January")
                        : cumulative("tax_withheld_so_far", PayrollCategory.TAX_WITHHELD, months, before, currency,
                        YearMonth.of(period.getYear(), 1) + ".." + before));
            }
            case JP -> {
                BigDecimal gross = current.amounts().get(PayrollCategory.GROSS_WAGE);
                BigDecimal social = current.amounts().getOrDefault(PayrollCategory.SOCIAL_INSURANCE, zero(currency));
                inputs.add(new Input("salary_after_social_insurance", Value.money(gross.subtract(social), currency),
                        "gross_wage − social_insurance of " + period));
            }
            case DE -> {
                inputs.add(new Input("wage", Value.money(current.amounts().get(PayrollCategory.GROSS_WAGE), currency),
                        "gross_wage of " + period));
                inputs.add(new Input("pay_period", Value.enumValue("PayPeriod", "MONTH"), "a monthly pre-fill"));
            }
        }
        Map<String, Type> declared = pack.inputTypes();
        for (Input input : inputs) {
            if (!declared.containsKey(input.name())) {
                throw new IllegalStateException("pack " + pack.id() + " has no input " + input.name()
                        + " that the " + jurisdiction + " pre-fill fills");
            }
        }
        return inputs;
    }

    private Input cumulative(String name, PayrollCategory category, List<Month> months, YearMonth through,
                             String currency, String range) {
        BigDecimal sum = zero(currency);
        for (Month month : months) {
            if (!month.period().isAfter(through)) {
                sum = sum.add(month.amounts().getOrDefault(category, BigDecimal.ZERO));
            }
        }
        return new Input(name, Value.money(sum, currency), "Σ " + category.wire() + " " + range);
    }

    /** Zero with the currency's minor unit, as the ledger writes amounts ("0.00 CNY", "0 JPY"). */
    private BigDecimal zero(String currency) {
        return BigDecimal.ZERO.setScale(currencies.resolve(currency).scale());
    }

    /**
     * The pack's other inputs from the payee's {@code payroll.input.*} values as of the period. A figure
     * the ledger gives wins over a payee input of the same name; inputs the pack does not declare are
     * not used; an input without a default that no posting gives is {@code payee_data_missing}.
     */
    private void payeeInputs(String tenant, String payee, YearMonth period, RulePack pack, Map<String, Input> inputs) {
        Map<String, Type> declared = pack.inputTypes();
        for (TaxPrefillStore.PayeeInput given : store.inputs(tenant, payee, period)) {
            Type type = declared.get(given.name());
            if (type == null || inputs.containsKey(given.name())) {
                continue;
            }
            String where = PayrollPosting.INPUT_PREFIX + given.name() + " of payee \"" + payee + "\" (transfer "
                    + given.transferId() + ", " + given.period() + ")";
            Value value = PackInputs.parse(type, given.value(), Codes.PAYEE_DATA_INVALID, where);
            if (value instanceof Value.EnumMember member
                    && !pack.enums().get(member.enumName()).contains(member.member())) {
                throw new Refusal(Codes.PAYEE_DATA_INVALID, where + " = \"" + given.value() + "\" is not one of "
                        + member.enumName() + " " + pack.enums().get(member.enumName()));
            }
            inputs.put(given.name(), new Input(given.name(), value,
                    PayrollPosting.INPUT_PREFIX + given.name() + " on transfer " + given.transferId() + " ("
                            + given.period() + ")"));
        }
        List<String> missing = pack.requiredInputs().stream().filter(name -> !inputs.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new Refusal(Codes.PAYEE_DATA_MISSING, "pack " + pack.id().name() + " " + pack.id().version()
                    + " needs " + String.join(", ", missing.stream().map(n -> n + " (" + declared.get(n) + ")")
                    .toList()) + " for payee \"" + payee + "\", which no payroll posting up to " + period
                    + " gives; add metadata " + PayrollPosting.INPUT_PREFIX + missing.get(0)
                    + " to the payee's gross_wage posting");
        }
    }
}
