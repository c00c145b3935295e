package ledger.tax.rules.packs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Map;
import java.util.Random;

import ledger.tax.rules.Evaluation;
import ledger.tax.rules.RuleLibrary;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.RulePacks;
import ledger.tax.rules.Seeded;
import ledger.tax.rules.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of the shipped packs over seeded random inputs (ledger.tax.rules.Seeded prints the seed): tax is
 * never negative, never falls when income rises, is rounded as each method prescribes, and the Chinese monthly
 * withholdings add up to the cumulative tax.
 */
class TaxPackProperties {

    static RulePack cn;
    static RulePack r7;
    static RulePack r8;
    static RulePack de;

    @BeforeAll
    static void load() {
        RuleLibrary library = RuleLibrary.fromClasspath();
        cn = library.find("cn-iit-wages-cumulative", LocalDate.of(2026, 1, 1));
        r7 = library.find("jp-withholding-monthly-kou", LocalDate.of(2025, 1, 1));
        r8 = library.find("jp-withholding-monthly-kou", LocalDate.of(2026, 1, 1));
        de = library.find("de-lohnsteuer", LocalDate.of(2026, 1, 1));
    }

    private static BigDecimal fen(long fen) {
        return BigDecimal.valueOf(fen, 2);
    }

    private static Evaluation cn(int months, BigDecimal income, BigDecimal special, BigDecimal withheld) {
        return cn.evaluate(Map.of("months_employed", Value.integer(months),
                "cumulative_income", Value.money(income, "CNY"),
                "cumulative_special_deductions", Value.money(special, "CNY"),
                "tax_withheld_so_far", Value.money(withheld, "CNY")));
    }

    @Test
    void chinaCumulativeTaxIsMonotoneInIncomeNeverNegativeAndToTheFen() {
        Seeded.run("cn monotone", 400, random -> {
            int months = 1 + random.nextInt(12);
            BigDecimal income = fen(Seeded.upTo(random, 150_000_000L)); // up to 1.5 million yuan
            BigDecimal more = income.add(fen(1 + Seeded.upTo(random, 5_000_000L)));
            BigDecimal special = fen(Seeded.upTo(random, 1_000_000L));
            BigDecimal withheld = fen(Seeded.upTo(random, 10_000_000L));
            Evaluation low = cn(months, income, special, withheld);
            Evaluation high = cn(months, more, special, withheld);
            assertThat(high.amount("cumulative_tax")).isGreaterThanOrEqualTo(low.amount("cumulative_tax"));
            assertThat(high.amount("withholding_this_month")).isGreaterThanOrEqualTo(low.amount("withholding_this_month"));
            assertThat(low.amount("withholding_this_month")).isNotNegative();
            assertThat(low.amount("cumulative_tax")).isNotNegative();
            assertThat(low.amount("cumulative_tax").scale()).isEqualTo(2);
            // the tax never exceeds 45 % of the taxable income
            assertThat(low.amount("cumulative_tax"))
                    .isLessThanOrEqualTo(low.amount("cumulative_taxable_income").multiply(new BigDecimal("0.45")));
        });
    }

    @Test
    void chinaMonthlyWithholdingsAddUpToTheHighestCumulativeTaxSoFar() {
        // A month below the basic deduction lowers the cumulative tax; nothing is refunded then (61号), so what has
        // been withheld after month n is the highest cumulative tax of months 1..n, and equals the cumulative tax
        // whenever that never fell.
        Seeded.run("cn year sum", 40, random -> {
            BigDecimal cumulativeIncome = BigDecimal.ZERO;
            BigDecimal cumulativeSpecial = BigDecimal.ZERO;
            BigDecimal withheld = BigDecimal.ZERO;
            BigDecimal highest = BigDecimal.ZERO;
            for (int month = 1; month <= 12; month++) {
                // pay varies month by month, including months below the basic deduction
                cumulativeIncome = cumulativeIncome.add(fen(Seeded.upTo(random, 12_000_000L)));
                cumulativeSpecial = cumulativeSpecial.add(fen(Seeded.upTo(random, 300_000L)));
                Evaluation e = cn(month, cumulativeIncome, cumulativeSpecial, withheld);
                withheld = withheld.add(e.amount("withholding_this_month"));
                highest = highest.max(e.amount("cumulative_tax"));
                assertThat(withheld).as("month %d", month).isEqualByComparingTo(highest);
            }
        });
    }

    @Test
    void japanTaxIsMonotoneInSalaryAndDependantsAndRoundedTo10Yen() {
        for (RulePack pack : new RulePack[] {r7, r8}) {
            Seeded.run("jp " + pack.id().version(), 400, random -> {
                long salary = Seeded.upTo(random, 4_000_000L);
                long more = salary + 1 + Seeded.upTo(random, 200_000L);
                int dependants = random.nextInt(10);
                BigDecimal base = jp(pack, salary, dependants);
                assertThat(jp(pack, more, dependants)).isGreaterThanOrEqualTo(base);
                assertThat(jp(pack, salary, dependants + 1)).isLessThanOrEqualTo(base);
                assertThat(base).isNotNegative();
                assertThat(base.remainder(BigDecimal.TEN)).isEqualByComparingTo(BigDecimal.ZERO);
                // 10円未満四捨五入: the unrounded tax is within 5 yen of the result
                Evaluation e = run(pack, salary, dependants);
                BigDecimal unrounded = ((Value.Money) ExplanationTrees
                        .find(e.explanation().get(1), "tax_table").value()).amount();
                assertThat(unrounded.subtract(base).abs()).isLessThanOrEqualTo(new BigDecimal("5"));
                assertThat(unrounded.divide(BigDecimal.TEN, 0, RoundingMode.HALF_UP).multiply(BigDecimal.TEN))
                        .isEqualByComparingTo(base);
            });
        }
    }

    private static Evaluation run(RulePack pack, long salary, int dependants) {
        return pack.evaluate(Map.of("salary_after_social_insurance", Value.money(BigDecimal.valueOf(salary), "JPY"),
                "dependants", Value.integer(dependants)));
    }

    private static BigDecimal jp(RulePack pack, long salary, int dependants) {
        return run(pack, salary, dependants).amount("withholding_tax");
    }

    @Test
    void germanLohnsteuerSurchargeAndChurchTaxAreMonotoneInWageNeverNegativeAndRoundedAsPrescribed() {
        String[] classes = {"I", "II", "III", "IV", "V", "VI"};
        Seeded.run("de monotone", 300, random -> {
            String taxClass = classes[random.nextInt(classes.length)];
            boolean childless = random.nextBoolean();
            String supplement = "" + random.nextInt(4) + "." + random.nextInt(10);
            BigDecimal wage = fen(Seeded.upTo(random, 50_000_000L));
            BigDecimal more = wage.add(fen(1 + Seeded.upTo(random, 1_000_000L)));
            Evaluation low = de(wage, taxClass, childless, supplement);
            Evaluation high = de(more, taxClass, childless, supplement);
            for (String output : new String[] {"lohnsteuer_year", "solidarity_surcharge_year", "church_tax_period",
                    "withholding_period"}) {
                assertThat(low.amount(output)).as(output).isNotNegative();
                assertThat(high.amount(output)).as("%s: %s -> %s, class %s", output, wage, more, taxClass)
                        .isGreaterThanOrEqualTo(low.amount(output));
            }
            // the yearly tax is whole euros; the surcharge never exceeds 5.5 % of it
            assertThat(low.amount("lohnsteuer_year").stripTrailingZeros().scale()).isLessThanOrEqualTo(0);
            assertThat(low.amount("solidarity_surcharge_year"))
                    .isLessThanOrEqualTo(low.amount("lohnsteuer_year").multiply(new BigDecimal("0.055")));
            // class III (splitting) never costs more than class I, class VI (no allowances) never less
            if (taxClass.equals("I")) {
                BigDecimal classOne = low.amount("lohnsteuer_year");
                assertThat(de(wage, "III", childless, supplement).amount("lohnsteuer_year")).isLessThanOrEqualTo(classOne);
                assertThat(de(wage, "VI", childless, supplement).amount("lohnsteuer_year")).isGreaterThanOrEqualTo(classOne);
            }
        });
    }

    private static Evaluation de(BigDecimal wage, String taxClass, boolean childless, String supplement) {
        return de.evaluate(Map.of("tax_class", Value.enumValue("TaxClass", taxClass),
                "wage", Value.money(wage, "EUR"),
                "health_insurance_supplement_percent", Value.decimal(supplement),
                "childless_surcharge", Value.bool(childless),
                "church_tax", Value.enumValue("ChurchTax", "NW")));
    }

    @Test
    void roundMatchesBigDecimalForEveryModeAndUnit() {
        RulePack pack = RulePacks.parse("round.rules", """
                pack "round" version "1";
                jurisdiction "XX";
                valid from 2025-01-01;
                input x : decimal;
                output up_cent : decimal = round(x, up, 0.01);
                output down_ten : decimal = round(x, down, 10);
                output half_up_unit : decimal = round(x, half_up, 1);
                output half_even_cent : decimal = round(x, half_even, 0.01);
                output ceiling_thousand : decimal = round(x, ceiling, 1000);
                output floor_tenth : decimal = round(x, floor, 0.1);
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Seeded.run("round", 500, (Random random) -> {
            BigDecimal x = BigDecimal.valueOf(random.nextLong() % 10_000_000_000L, random.nextInt(7));
            Evaluation e = pack.evaluate(Map.of("x", new Value.Decimal(x)));
            check(e, "up_cent", x.setScale(2, RoundingMode.UP));
            check(e, "down_ten", x.movePointLeft(1).setScale(0, RoundingMode.DOWN).movePointRight(1));
            check(e, "half_up_unit", x.setScale(0, RoundingMode.HALF_UP));
            check(e, "half_even_cent", x.setScale(2, RoundingMode.HALF_EVEN));
            check(e, "ceiling_thousand", x.movePointLeft(3).setScale(0, RoundingMode.CEILING).movePointRight(3));
            check(e, "floor_tenth", x.setScale(1, RoundingMode.FLOOR));
        });
    }

    private static void check(Evaluation e, String output, BigDecimal expected) {
        assertThat(((Value.Decimal) e.output(output)).value()).as(output).isEqualByComparingTo(expected);
    }
}
