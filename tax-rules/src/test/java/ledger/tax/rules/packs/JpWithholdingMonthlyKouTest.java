package ledger.tax.rules.packs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

import ledger.tax.rules.Evaluation;
import ledger.tax.rules.Explanation;
import ledger.tax.rules.RuleEvaluationException;
import ledger.tax.rules.RuleLibrary;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden figures for tax/jp/jp-withholding-monthly-kou-r7.rules and -r8.rules: the National Tax Agency's computer
 * method for the 甲欄 of the monthly table (「月額表の甲欄を適用する給与等に対する源泉徴収税額の電算機計算の特例」,
 * 別表第一). The three 令和8年 examples are the worked examples of the NTA's 令和8年分 document (as quoted in public
 * payroll code that tests against them); every other figure is worked out by hand below from 別表第一:
 * <pre>
 *   (4) B up to 162,500  5.105 %            B up to 275,000  10.21 % − 8,296     B up to 579,166  20.42 % − 36,374
 *       B up to 750,000  23.483 % − 54,113  B up to 1,500,000 33.693 % − 130,688 B up to 3,333,333 40.84 % − 237,893
 *       above            45.945 % − 408,061                   then round half up to 10 yen
 *   (2) 31,667 yen per dependant
 * </pre>
 */
class JpWithholdingMonthlyKouTest {

    static RuleLibrary library;
    static RulePack r7;
    static RulePack r8;

    @BeforeAll
    static void load() {
        library = RuleLibrary.fromClasspath();
        r7 = library.find("jp-withholding-monthly-kou", LocalDate.of(2025, 12, 25));
        r8 = library.find("jp-withholding-monthly-kou", LocalDate.of(2026, 1, 25));
    }

    static Evaluation run(RulePack pack, long salary, int dependants) {
        return pack.evaluate(Map.of(
                "salary_after_social_insurance", Value.money(BigDecimal.valueOf(salary), "JPY"),
                "dependants", Value.integer(dependants)));
    }

    static BigDecimal tax(RulePack pack, long salary, int dependants) {
        return run(pack, salary, dependants).amount("withholding_tax");
    }

    @Test
    void picksTheParametersOfThePayYear() {
        assertThat(r7.id().version()).isEqualTo("R7");
        assertThat(r8.id().version()).isEqualTo("R8");
        assertThatThrownBy(() -> library.find("jp-withholding-monthly-kou", LocalDate.of(2027, 1, 25)))
                .hasMessageContaining("no version of rule pack 'jp-withholding-monthly-kou' is valid on 2027-01-25");
    }

    @ParameterizedTest(name = "R8 NTA example: A={0}, dependants {1} -> {2} yen")
    @CsvSource({
            // 175,000: (1) 175,000 × 30 % + 6,667 = 59,167; (2) 2 × 31,667 = 63,334; (3) 48,334
            //          B = 4,165; 4,165 × 5.105 % = 212.62 -> 210
            "175000, 2, 210",
            // 446,000: (1) 446,000 × 20 % + 36,667 = 125,867; (2) 8 × 31,667 = 253,336; (3) 48,334
            //          B = 18,463; × 5.105 % = 942.54 -> 940
            "446000, 8, 940",
            // 775,200: (1) 162,500; (2) 3 × 31,667 = 95,001; (3) 48,334
            //          B = 469,365; × 20.42 % − 36,374 = 59,470.33 -> 59,470
            "775200, 3, 59470",
    })
    void matchesTheNationalTaxAgencyExamplesForReiwa8(long salary, int dependants, long expected) {
        assertThat(tax(r8, salary, dependants)).isEqualTo(BigDecimal.valueOf(expected));
    }

    @ParameterizedTest(name = "R7: A={0}, dependants {1} -> {2} yen")
    @CsvSource({
            // 175,000: (1) 59,167; (2) 63,334; (3) 40,000 -> B = 12,499; × 5.105 % = 638.07 -> 640
            "175000, 2, 640",
            // 446,000: (1) 125,867; (2) 253,336; (3) 40,000 -> B = 26,797; × 5.105 % = 1,367.99 -> 1,370
            "446000, 8, 1370",
            // 775,200: (1) 162,500; (2) 95,001; (3) 40,000 -> B = 477,699; × 20.42 % − 36,374 = 61,172.14 -> 61,170
            "775200, 3, 61170",
            // 200,000, no dependants: (1) 66,667; (3) 40,000 -> B = 93,333; × 5.105 % = 4,764.65 -> 4,760
            "200000, 0, 4760",
            // 88,000: (1) 45,834; (3) 40,000 -> B = 2,166; × 5.105 % = 110.57 -> 110
            "88000, 0, 110",
            // 80,000 with one dependant: 80,000 − 45,834 − 31,667 − 40,000 < 0 -> B = 0 -> 0
            "80000, 1, 0",
    })
    void reiwa7ByHand(long salary, int dependants, long expected) {
        assertThat(tax(r7, salary, dependants)).isEqualTo(BigDecimal.valueOf(expected));
    }

    /**
     * Each row of 別表第一 (4), at its bound and one yen above. A and the number of dependants are chosen so B lands
     * exactly on the bound: with A over 708,330 the employment deduction is 162,500, so
     * R7: B = A − 162,500 − 40,000 − 31,667 × d (basic 0 once A is over 2,245,833); R8: the basic deduction is 48,334.
     * Tax at B (same table in both years):
     *   162,500 × 5.105 %             =   8,295.625   -> 8,300;  162,501 × 10.21 % − 8,296     =   8,295.35 -> 8,300
     *   275,000 × 10.21 % − 8,296     =  19,781.5     -> 19,780; 275,001 × 20.42 % − 36,374    =  19,781.20 -> 19,780
     *   579,166 × 20.42 % − 36,374    =  81,891.70    -> 81,890; 579,167 × 23.483 % − 54,113   =  81,892.79 -> 81,890
     *   750,000 × 23.483 % − 54,113   = 122,009.5     -> 122,010; 750,001 × 33.693 % − 130,688 = 122,009.84 -> 122,010
     *   1,500,000 × 33.693 % − 130,688 = 374,707      -> 374,710; 1,500,001 × 40.84 % − 237,893 = 374,707.41 -> 374,710
     *   3,333,333 × 40.84 % − 237,893 = 1,123,440.20 -> 1,123,440; 3,333,334 × 45.945 % − 408,061 = 1,123,439.31 -> 1,123,440
     */
    @ParameterizedTest(name = "{0}: A={1}, d={2} -> B={3}, unrounded {4}, tax {5}, bracket {6}")
    @CsvSource({
            "R7, 713337, 11, 162500, 8295.625, 8300, 1",      // 713,337 − 162,500 − 40,000 − 348,337
            "R7, 713338, 11, 162501, 8295.3521, 8300, 2",
            "R7, 730836, 8, 275000, 19781.5, 19780, 2",      // 730,836 − 162,500 − 40,000 − 253,336
            "R7, 730837, 8, 275001, 19781.2042, 19780, 3",
            "R7, 781666, 0, 579166, 81891.6972, 81890, 3",
            "R7, 781667, 0, 579167, 81892.78661, 81890, 4",
            "R7, 952500, 0, 750000, 122009.5, 122010, 4",
            "R7, 952501, 0, 750001, 122009.83693, 122010, 5",
            "R7, 1702500, 0, 1500000, 374707, 374710, 5",
            "R7, 1702501, 0, 1500001, 374707.4084, 374710, 6",
            "R7, 3495833, 0, 3333333, 1123440.1972, 1123440, 6",  // basic deduction 0 above 2,245,833
            "R7, 3495834, 0, 3333334, 1123439.3063, 1123440, 7",
            "R8, 721671, 11, 162500, 8295.625, 8300, 1",      // 721,671 − 162,500 − 48,334 − 348,337
            "R8, 721672, 11, 162501, 8295.3521, 8300, 2",
            "R8, 739170, 8, 275000, 19781.5, 19780, 2",
            "R8, 739171, 8, 275001, 19781.2042, 19780, 3",
            "R8, 790000, 0, 579166, 81891.6972, 81890, 3",
            "R8, 790001, 0, 579167, 81892.78661, 81890, 4",
            "R8, 960834, 0, 750000, 122009.5, 122010, 4",
            "R8, 960835, 0, 750001, 122009.83693, 122010, 5",
            "R8, 1710834, 0, 1500000, 374707, 374710, 5",
            "R8, 1710835, 0, 1500001, 374707.4084, 374710, 6",
            "R8, 3495833, 0, 3333333, 1123440.1972, 1123440, 6",
            "R8, 3495834, 0, 3333334, 1123439.3063, 1123440, 7",
    })
    void everyTaxBracketBoundary(String year, long salary, int dependants, long taxable, String unrounded, long tax,
                                 int bracket) {
        Evaluation e = run(year.equals("R7") ? r7 : r8, salary, dependants);
        assertThat(e.amount("taxable_salary")).isEqualTo(BigDecimal.valueOf(taxable));
        assertThat(e.amount("withholding_tax")).isEqualTo(BigDecimal.valueOf(tax));
        Explanation table = find(e.explanation().get(1), "tax_table");
        assertThat(table.bracket().index()).isEqualTo(bracket);
        // before the 10-yen rounding, so a wrong rate or deduction cannot hide behind it
        assertThat(((Value.Money) table.value()).amount()).isEqualByComparingTo(unrounded);
    }

    /**
     * Rows of 別表第一 (1), each rounded up to the yen. R7: 135,416 -> 45,834; 135,417 × 40 % − 8,333 = 45,833.8
     * -> 45,834; 149,999 -> 51,666.6 -> 51,667; 150,000 × 30 % + 6,667 = 51,667; 299,999 -> 96,666.7 -> 96,667;
     * 300,000 × 20 % + 36,667 = 96,667; 549,999 -> 146,666.8 -> 146,667; 550,000 × 10 % + 91,667 = 146,667;
     * 708,330 -> 162,500; 708,331 -> 162,500. R8 replaces the first two rows: 158,333 -> 54,167;
     * 158,334 × 30 % + 6,667 = 54,167.2 -> 54,168.
     */
    @ParameterizedTest(name = "{0}: A={1} -> employment income deduction {2} (row {3})")
    @CsvSource({
            "R7, 135416, 45834, 1", "R7, 135417, 45834, 2", "R7, 149999, 51667, 2", "R7, 150000, 51667, 3",
            "R7, 299999, 96667, 3", "R7, 300000, 96667, 4", "R7, 549999, 146667, 4", "R7, 550000, 146667, 5",
            "R7, 708330, 162500, 5", "R7, 708331, 162500, 6",
            "R8, 158333, 54167, 1", "R8, 158334, 54168, 2", "R8, 299999, 96667, 2", "R8, 300000, 96667, 3",
            "R8, 708330, 162500, 4", "R8, 708331, 162500, 5",
    })
    void everyEmploymentIncomeDeductionBoundary(String year, long salary, long deduction, int row) {
        Evaluation e = run(year.equals("R7") ? r7 : r8, salary, 0);
        Explanation value = find(e.explanation().get(0), "employment_income_deduction");
        assertThat(((Value.Money) value.value()).amount()).isEqualByComparingTo(BigDecimal.valueOf(deduction));
        assertThat(find(value, "employment_income_deduction_table").bracket().index()).isEqualTo(row);
    }

    /** 別表第一 (3): R7 40,000 / 26,667 / 13,334 / 0 with bounds 2,162,499, 2,204,166, 2,245,833; R8 adds 48,334 up to 2,120,833. */
    @ParameterizedTest(name = "{0}: A={1} -> basic deduction {2}")
    @CsvSource({
            "R7, 2162499, 40000", "R7, 2162500, 26667", "R7, 2204166, 26667", "R7, 2204167, 13334",
            "R7, 2245833, 13334", "R7, 2245834, 0",
            "R8, 2120833, 48334", "R8, 2120834, 40000", "R8, 2162499, 40000", "R8, 2162500, 26667",
            "R8, 2245833, 13334", "R8, 2245834, 0",
    })
    void everyBasicDeductionBoundary(String year, long salary, long deduction) {
        Evaluation e = run(year.equals("R7") ? r7 : r8, salary, 0);
        Explanation value = find(e.explanation().get(0), "basic_deduction");
        assertThat(((Value.Money) value.value()).amount()).isEqualByComparingTo(BigDecimal.valueOf(deduction));
    }

    @Test
    void dependantsLowerTheTaxBy31667YenOfTaxableSalaryEach() {
        // R8, 300,000: (1) 96,667; (3) 48,334. d=0: B = 154,999 -> 7,912.70 -> 7,910
        // d=1: B = 123,332 -> 6,296.10 -> 6,300; d=2: B = 91,665 -> 4,679.50 -> 4,680; d=5: B = 0 -> 0
        assertThat(tax(r8, 300_000, 0)).isEqualTo(BigDecimal.valueOf(7910));
        assertThat(tax(r8, 300_000, 1)).isEqualTo(BigDecimal.valueOf(6300));
        assertThat(tax(r8, 300_000, 2)).isEqualTo(BigDecimal.valueOf(4680));
        assertThat(tax(r8, 300_000, 5)).isEqualTo(BigDecimal.ZERO);
    }

    @Test
    void rejectsYenWithSenAndNegativeDependants() {
        assertThatThrownBy(() -> r8.evaluate(Map.of("salary_after_social_insurance", Value.money("175000.5", "JPY"))))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessageContaining("input 'salary_after_social_insurance' = 175000.5 JPY has more decimals than JPY allows (0)");
        assertThatThrownBy(() -> r8.evaluate(Map.of(
                "salary_after_social_insurance", Value.money("175000", "JPY"), "dependants", Value.integer(-1))))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessageContaining("input 'dependants' = -1 is outside 0 .. 99");
    }

    private static Explanation find(Explanation node, String name) {
        return ExplanationTrees.find(node, name);
    }
}
