package ledger.tax.rules.packs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ledger.tax.rules.Evaluation;
import ledger.tax.rules.Explanation;
import ledger.tax.rules.RuleLibrary;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden figures for tax/cn/cn-iit-wages-cumulative-2019.rules, worked out by hand from the State Taxation
 * Administration announcement 2018 No. 61 (国家税务总局公告2018年第61号), annex "个人所得税预扣率表一":
 * <pre>
 *   cumulative taxable income       rate   quick deduction
 *   up to 36,000                     3 %          0
 *   36,000 .. 144,000               10 %      2,520
 *   144,000 .. 300,000              20 %     16,920
 *   300,000 .. 420,000              25 %     31,920
 *   420,000 .. 660,000              30 %     52,920
 *   660,000 .. 960,000              35 %     85,920
 *   over 960,000                    45 %    181,920
 * </pre>
 * and its formula: cumulative taxable income = cumulative income − 5,000 × months − cumulative special deductions −
 * cumulative special additional deductions; this month = cumulative tax − tax withheld so far, not below zero.
 */
class CnIitWagesCumulativeTest {

    static RulePack pack;

    @BeforeAll
    static void load() {
        pack = RuleLibrary.fromClasspath().find("cn-iit-wages-cumulative", LocalDate.of(2026, 3, 31));
    }

    /** Runs months 1..12 at constant monthly figures, feeding each month's withholding into the next. */
    static BigDecimal[] year(String salary, String specialDeductions, String additionalDeductions) {
        BigDecimal[] withheld = new BigDecimal[13];
        BigDecimal withheldSoFar = BigDecimal.ZERO;
        for (int n = 1; n <= 12; n++) {
            BigDecimal months = BigDecimal.valueOf(n);
            Evaluation e = pack.evaluate(Map.of(
                    "months_employed", Value.integer(n),
                    "cumulative_income", cny(new BigDecimal(salary).multiply(months)),
                    "cumulative_special_deductions", cny(new BigDecimal(specialDeductions).multiply(months)),
                    "cumulative_special_additional_deductions", cny(new BigDecimal(additionalDeductions).multiply(months)),
                    "tax_withheld_so_far", cny(withheldSoFar)));
            withheld[n] = e.amount("withholding_this_month");
            withheldSoFar = withheldSoFar.add(withheld[n]);
            assertThat(e.amount("cumulative_tax")).as("month %d cumulative tax equals all withheld so far", n)
                    .isEqualByComparingTo(withheldSoFar);
        }
        return withheld;
    }

    static Value cny(BigDecimal amount) {
        return Value.money(amount, "CNY");
    }

    @Test
    void withholds75EveryMonthForTheIssueExample() {
        // 10,000 − 5,000 − 1,500 − 1,000 = 2,500 a month; 2,500 × 12 = 30,000 stays in the 3 % row all year:
        // cumulative tax after n months is 75 × n, so 75.00 is withheld every month.
        BigDecimal[] withheld = year("10000.00", "1500.00", "1000.00");
        for (int n = 1; n <= 12; n++) {
            assertThat(withheld[n]).as("month %d", n).isEqualTo(new BigDecimal("75.00"));
        }
    }

    @Test
    void crossesThe36000BoundaryInMonth2AndThe144000BoundaryInMonth8() {
        // 30,000 − 5,000 − 3,000 − 2,000 = 20,000 taxable a month.
        // month  cumulative  cumulative tax                     this month
        //   1       20,000    20,000 × 3 %            =    600   600
        //   2       40,000    40,000 × 10 % − 2,520   =  1,480   880
        //   3       60,000                            =  3,480   2,000
        //   4..7    80,000 .. 140,000 (10 % row)      = 11,480 in month 7, 2,000 each month
        //   8      160,000   160,000 × 20 % − 16,920  = 15,080   3,600
        //   9..12  180,000 .. 240,000 (20 % row)      = 31,080 in month 12, 4,000 each month
        BigDecimal[] withheld = year("30000.00", "3000.00", "2000.00");
        String[] expected = {null, "600.00", "880.00", "2000.00", "2000.00", "2000.00", "2000.00", "2000.00",
                "3600.00", "4000.00", "4000.00", "4000.00", "4000.00"};
        for (int n = 1; n <= 12; n++) {
            assertThat(withheld[n]).as("month %d", n).isEqualTo(new BigDecimal(expected[n]));
        }
    }

    @Test
    void highEarnerCrossesEveryUpperBracketDuringTheYear() {
        // 100,000 − 5,000 − 5,000 = 90,000 taxable a month.
        //   1   90,000 × 10 % −   2,520 =   6,480            6,480
        //   2  180,000 × 20 % −  16,920 =  19,080           12,600
        //   3  270,000 × 20 % −  16,920 =  37,080           18,000
        //   4  360,000 × 25 % −  31,920 =  58,080           21,000
        //   5  450,000 × 30 % −  52,920 =  82,080           24,000
        //   6  540,000 × 30 % −  52,920 = 109,080           27,000
        //   7  630,000 × 30 % −  52,920 = 136,080           27,000
        //   8  720,000 × 35 % −  85,920 = 166,080           30,000
        //   9  810,000 × 35 % −  85,920 = 197,580           31,500
        //  10  900,000 × 35 % −  85,920 = 229,080           31,500
        //  11  990,000 × 45 % − 181,920 = 263,580           34,500
        //  12 1,080,000 × 45 % − 181,920 = 304,080          40,500
        BigDecimal[] withheld = year("100000.00", "5000.00", "0.00");
        String[] expected = {null, "6480.00", "12600.00", "18000.00", "21000.00", "24000.00", "27000.00",
                "27000.00", "30000.00", "31500.00", "31500.00", "34500.00", "40500.00"};
        for (int n = 1; n <= 12; n++) {
            assertThat(withheld[n]).as("month %d", n).isEqualTo(new BigDecimal(expected[n]));
        }
    }

    /**
     * Each boundary of table 1 and one fen above it. The quick deductions make the table continuous, so the tax is
     * the same on both sides (to the fen) while the bracket changes: at the bound the lower row applies ("不超过").
     */
    @ParameterizedTest(name = "taxable {0} -> tax {1} in bracket {2}")
    @CsvSource({
            "0.00,         0.00,      1",
            "36000.00,     1080.00,   1",   // 36,000 × 3 %
            "36000.01,     1080.00,   2",   // 3,600.001 − 2,520 = 1,080.001
            "144000.00,    11880.00,  2",   // 14,400 − 2,520
            "144000.01,    11880.00,  3",   // 28,800.002 − 16,920
            "300000.00,    43080.00,  3",   // 60,000 − 16,920
            "300000.01,    43080.00,  4",   // 75,000.0025 − 31,920
            "420000.00,    73080.00,  4",   // 105,000 − 31,920
            "420000.01,    73080.00,  5",   // 126,000.003 − 52,920
            "660000.00,    145080.00, 5",   // 198,000 − 52,920
            "660000.01,    145080.00, 6",   // 231,000.0035 − 85,920
            "960000.00,    250080.00, 6",   // 336,000 − 85,920
            "960000.01,    250080.00, 7",   // 432,000.0045 − 181,920
    })
    void everyBracketBoundary(String taxable, String tax, int bracket) {
        // Twelve months of basic deduction (60,000) on top of the taxable amount, nothing else deducted.
        Evaluation e = pack.evaluate(Map.of(
                "months_employed", Value.integer(12),
                "cumulative_income", cny(new BigDecimal(taxable).add(new BigDecimal("60000")))));
        assertThat(e.amount("cumulative_taxable_income")).isEqualByComparingTo(taxable);
        assertThat(e.amount("cumulative_tax")).isEqualTo(new BigDecimal(tax));
        Explanation.Bracket used = findTable(e.explanation().get(1)).bracket();
        assertThat(used.index()).isEqualTo(bracket);
        assertThat(used.table()).isEqualTo("withholding_rates");
    }

    @Test
    void roundsHalfUpToTheFen() {
        // 36,000.05 × 10 % − 2,520 = 1,080.005: half up gives 1,080.01 (half even would give 1,080.00).
        Evaluation e = pack.evaluate(Map.of("months_employed", Value.integer(12),
                "cumulative_income", cny(new BigDecimal("96000.05"))));
        assertThat(e.amount("cumulative_tax")).isEqualTo(new BigDecimal("1080.01"));
    }

    @Test
    void incomeBelowTheDeductionsIsNotTaxedAndNothingIsRefunded() {
        // 4,000 income in month 1 is below the 5,000 basic deduction; a month with less cumulative tax than already
        // withheld withholds nothing rather than refunding (61号: 暂不退税).
        Evaluation low = pack.evaluate(Map.of("months_employed", Value.integer(1),
                "cumulative_income", cny(new BigDecimal("4000.00"))));
        assertThat(low.amount("cumulative_taxable_income")).isEqualTo(new BigDecimal("0.00"));
        assertThat(low.amount("withholding_this_month")).isEqualTo(new BigDecimal("0.00"));

        Evaluation overWithheld = pack.evaluate(Map.of("months_employed", Value.integer(3),
                "cumulative_income", cny(new BigDecimal("30000.00")),
                "tax_withheld_so_far", cny(new BigDecimal("900.00"))));
        // 30,000 − 15,000 = 15,000 × 3 % = 450 < 900 already withheld.
        assertThat(overWithheld.amount("cumulative_tax")).isEqualTo(new BigDecimal("450.00"));
        assertThat(overWithheld.amount("withholding_this_month")).isEqualTo(new BigDecimal("0.00"));
        assertThat(overWithheld.explanation().get(2).rule()).isEqualTo("no_refund_during_year");
    }

    @Test
    void explainsEachValueWithRuleBracketAndInputsAsTextAndJson() throws Exception {
        Map<String, Value> inputs = new HashMap<>();
        inputs.put("months_employed", Value.integer(1));
        inputs.put("cumulative_income", cny(new BigDecimal("10000.00")));
        inputs.put("cumulative_special_deductions", cny(new BigDecimal("1500.00")));
        inputs.put("cumulative_special_additional_deductions", cny(new BigDecimal("1000.00")));
        Evaluation e = pack.evaluate(inputs);

        assertThat(e.packId().name()).isEqualTo("cn-iit-wages-cumulative");
        assertThat(e.packId().version()).isEqualTo("2019.1");
        assertThat(e.packId().sha256()).matches("[0-9a-f]{64}");

        String text = e.toText();
        assertThat(text).contains("pack cn-iit-wages-cumulative 2019.1")
                .contains("withholding_this_month = 75.00 CNY  [output, otherwise")
                .contains("withholding_rates(2500.00 CNY) = 75.0000 CNY  [table, progressive bracket 1: from 0 up to 36000, rate 0.03")
                .contains("cumulative_income = 10000.00 CNY  [input, input")
                .contains("(see above)");

        JsonNode json = new ObjectMapper().readTree(e.toJson());
        assertThat(json.at("/pack/sha256").asText()).isEqualTo(e.packId().sha256());
        assertThat(json.at("/outputs/withholding_this_month/amount").asText()).isEqualTo("75.00");
        JsonNode tax = json.at("/explanation/1");
        assertThat(tax.at("/name").asText()).isEqualTo("cumulative_tax");
        assertThat(tax.at("/uses/0/kind").asText()).isEqualTo("table");
        assertThat(tax.at("/uses/0/bracket/rate").asText()).isEqualTo("0.03");
        assertThat(tax.at("/uses/0/argument/amount").asText()).isEqualTo("2500.00");
    }

    static Explanation findTable(Explanation node) {
        if (node.kind() == Explanation.Kind.TABLE) {
            return node;
        }
        for (Explanation child : node.uses()) {
            Explanation found = findTable(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
