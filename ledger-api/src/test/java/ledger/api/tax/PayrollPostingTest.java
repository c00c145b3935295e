package ledger.api.tax;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.money.Currencies;
import org.junit.jupiter.api.Test;

/** How a posted transfer's metadata becomes payroll figures (docs/tax-prefill.md, "Payroll metadata"). */
class PayrollPostingTest {
    private static final Currencies CURRENCIES = Currencies.iso();
    private static final List<Leg> TRANSFER = List.of(new Leg("salary-expense", "debit", "10000.00", "CNY"),
            new Leg("wages-payable", "credit", "10000.00", "CNY"));
    private static final List<Leg> ENTRY = List.of(new Leg("salary-expense", "debit", "10000.00", "CNY"),
            new Leg("wages-payable", "credit", "8500.00", "CNY"),
            new Leg("social-insurance-payable", "credit", "1500.00", "CNY"));

    private static PayrollPosting parse(List<Leg> legs, String... metadata) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < metadata.length; i += 2) {
            map.put(metadata[i], metadata[i + 1]);
        }
        return PayrollPosting.of(new TransferPosted("t", "tr-1", legs.size() == 2 ? "transfer" : "entry", legs, map),
                CURRENCIES);
    }

    @Test
    void aPostingWithoutPayeeIsNotPayroll() {
        assertThat(parse(TRANSFER)).isNull();
        assertThat(parse(TRANSFER, "payroll.period", "2026-01", "payroll.category", "gross_wage")).isNull();
    }

    @Test
    void aTransfersCategoryTakesItsAmount() {
        PayrollPosting p = parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-03",
                "payroll.category", "gross_wage");
        assertThat(p.usable()).isTrue();
        assertThat(p.period()).isEqualTo(YearMonth.of(2026, 3));
        assertThat(p.currency()).isEqualTo("CNY");
        assertThat(p.amounts()).containsExactly(Map.entry(PayrollCategory.GROSS_WAGE, 1_000_000L));
        assertThat(p.amount(PayrollCategory.GROSS_WAGE)).isEqualTo(new BigDecimal("10000.00"));
    }

    @Test
    void anEntrysCategoryTakesItsDebitsAndLegKeysTakeOneLegEach() {
        PayrollPosting p = parse(ENTRY, "payroll.payee", "p-1", "payroll.period", "2026-03",
                "payroll.category", "gross_wage", "payroll.leg.social_insurance", "social-insurance-payable",
                "payroll.declared.special_additional_deduction", "1000.00", "payroll.input.dependants", "2");
        assertThat(p.problem()).isNull();
        assertThat(p.amounts()).containsOnly(Map.entry(PayrollCategory.GROSS_WAGE, 1_000_000L),
                Map.entry(PayrollCategory.SOCIAL_INSURANCE, 150_000L),
                Map.entry(PayrollCategory.SPECIAL_ADDITIONAL_DEDUCTION, 100_000L));
        assertThat(p.inputs()).containsExactly(Map.entry("dependants", "2"));
    }

    @Test
    void unusableMetadataIsAProblemNamingTheKeyNotAFailure() {
        assertProblem(parse(TRANSFER, "payroll.payee", "p-1", "payroll.category", "gross_wage"),
                "payroll.period is missing");
        assertProblem(parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-13", "payroll.category",
                "gross_wage"), "payroll.period \"2026-13\" is not a month YYYY-MM");
        assertProblem(parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-1", "payroll.category",
                "gross_wage"), "is not a month");
        assertProblem(parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-01", "payroll.category",
                "bonus"), "payroll.category: unknown category \"bonus\" (categories: gross_wage,");
        assertProblem(parse(ENTRY, "payroll.payee", "p-1", "payroll.period", "2026-01",
                "payroll.leg.social_insurance", "pension-fund"), "account \"pension-fund\" has no leg");
        assertProblem(parse(ENTRY, "payroll.payee", "p-1", "payroll.period", "2026-01", "payroll.category",
                "gross_wage", "payroll.leg.gross_wage", "salary-expense"), "category gross_wage is given twice");
        assertProblem(parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-01",
                "payroll.declared.other_deduction", "10.001"), "payroll.declared.other_deduction");
        assertProblem(parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-01",
                "payroll.input.Tax-Class", "I"), "\"Tax-Class\" is not an input name");
        assertProblem(parse(TRANSFER, "payroll.payee", "p 1", "payroll.period", "2026-01",
                "payroll.category", "gross_wage"), "is not a payee id");
        assertProblem(parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-01"),
                "neither payroll.category nor");
        assertProblem(parse(List.of(new Leg("a", "debit", "1.00", "EUR"), new Leg("b", "credit", "1.00", "EUR"),
                        new Leg("c", "debit", "1.00", "USD"), new Leg("d", "credit", "1.00", "USD")),
                "payroll.payee", "p-1", "payroll.period", "2026-01", "payroll.category", "gross_wage"),
                "one currency");
    }

    @Test
    void anUnusablePostingKeepsItsPeriodWhenItHasOne() {
        PayrollPosting p = parse(TRANSFER, "payroll.payee", "p-1", "payroll.period", "2026-02",
                "payroll.category", "bonus");
        assertThat(p.period()).isEqualTo(YearMonth.of(2026, 2));
        assertThat(p.amounts()).isEmpty();
    }

    private static void assertProblem(PayrollPosting posting, String problem) {
        assertThat(posting.usable()).as(String.valueOf(posting)).isFalse();
        assertThat(posting.problem()).contains(problem);
        assertThat(posting.amounts()).isEmpty();
    }
}
