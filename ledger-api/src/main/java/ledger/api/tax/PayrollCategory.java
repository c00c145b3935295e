package ledger.api.tax;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a payroll amount is, as written in {@code payroll.category} and the {@code payroll.leg.*} and
 * {@code payroll.declared.*} keys (docs/tax-prefill.md, "Payroll metadata").
 */
public enum PayrollCategory {
    /** Gross wage of the period (every jurisdiction). */
    GROSS_WAGE,
    /** The tax-exempt part of the gross wage (CN 免税收入). */
    TAX_EXEMPT_INCOME,
    /** Employee's social insurance and housing fund contributions (CN 专项扣除; JP 社会保険料等). */
    SOCIAL_INSURANCE,
    /** Special additional deductions (CN 专项附加扣除). */
    SPECIAL_ADDITIONAL_DEDUCTION,
    /** Other deductions allowed by law (CN 其他扣除). */
    OTHER_DEDUCTION,
    /** Tax relief (CN 减免税额). */
    TAX_RELIEF,
    /** Tax withheld for the period (CN: counts as already withheld in later months). */
    TAX_WITHHELD;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<PayrollCategory> parse(String text) {
        return Arrays.stream(values()).filter(c -> c.wire().equals(text)).findFirst();
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(PayrollCategory::wire).collect(Collectors.joining(", "));
    }
}
