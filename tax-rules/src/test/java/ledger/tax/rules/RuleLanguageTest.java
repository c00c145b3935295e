package ledger.tax.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The language as docs/tax-rules.md describes it, one feature a test. */
class RuleLanguageTest {

    @Test
    void theApplicableRuleWithTheHighestPriorityWinsWhateverTheOrderWritten() {
        RulePack pack = Rules.pack("""
                input age : integer;
                input disabled : boolean default false;
                output allowance : money[EUR] {
                    rule adult priority 10 : when age >= 18 then 100 EUR;
                    rule disabled_any_age priority 30 : when disabled then 300 EUR;
                    rule senior priority 20 : when age >= 65 then 200 EUR;
                    otherwise 0 EUR;
                }
                """);
        assertThat(run(pack, Map.of("age", Value.integer(70)))).isEqualTo("200.00 EUR by senior");
        assertThat(run(pack, Map.of("age", Value.integer(70), "disabled", Value.bool(true))))
                .isEqualTo("300.00 EUR by disabled_any_age");
        assertThat(run(pack, Map.of("age", Value.integer(30)))).isEqualTo("100.00 EUR by adult");
        assertThat(run(pack, Map.of("age", Value.integer(10)))).isEqualTo("0.00 EUR by otherwise");
    }

    private static String run(RulePack pack, Map<String, Value> inputs) {
        Explanation e = pack.evaluate(inputs).explanation().get(0);
        return e.value() + " by " + e.rule();
    }

    @Test
    void noApplicableRuleWithoutOtherwiseIsAnError() {
        RulePack pack = Rules.pack("""
                input age : integer;
                output band : integer {
                    rule adult priority 1 : when age >= 18 then 2;
                }
                """);
        assertThatThrownBy(() -> pack.evaluate(Map.of("age", Value.integer(3))))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("test.rules:5:8: no rule of 'band' applies and it has no 'otherwise'");
    }

    @ParameterizedTest(name = "round({0}, {1}, {2}) = {3}")
    @CsvSource({
            "2.345, half_up, 0.01, 2.35", "2.345, half_even, 0.01, 2.34", "2.355, half_even, 0.01, 2.36",
            "2.345, half_down, 0.01, 2.34", "2.341, up, 0.01, 2.35", "2.349, down, 0.01, 2.34",
            "-2.341, up, 0.01, -2.35", "-2.341, ceiling, 0.01, -2.34", "-2.341, floor, 0.01, -2.35",
            "638.07, half_up, 10, 640", "635, half_up, 10, 640", "634.99, half_up, 10, 630", "635, half_even, 10, 640",
            "645, half_even, 10, 640", "45833.8, up, 1, 45834", "1234567, down, 1000, 1234000",
            "2.37, half_up, 0.05, 2.35", "2.375, half_up, 0.05, 2.40",
    })
    void roundsWithAnExplicitModeAndUnit(String x, String mode, String unit, String expected) {
        RulePack pack = Rules.pack("input x : decimal;\noutput z : decimal = round(x, " + mode + ", " + unit + ");\n");
        Value z = pack.evaluate(Map.of("x", Value.decimal(x))).output("z");
        assertThat(((Value.Decimal) z).value()).isEqualByComparingTo(expected);
    }

    @Test
    void marginalTablesTaxEachSliceAtItsRate() {
        RulePack pack = Rules.pack("""
                input income : money[USD];
                table brackets : marginal money[USD] {
                    up to 10_000 USD : rate 10%;
                    up to 40_000 USD : rate 20%;
                    above : rate 30%;
                }
                output tax : money[USD] = round(brackets(income), half_even, 0.01);
                """);
        // 10,000 × 10 % + 30,000 × 20 % + 10,000 × 30 % = 1,000 + 6,000 + 3,000
        Evaluation e = pack.evaluate(Map.of("income", Value.money("50000.00", "USD")));
        assertThat(e.amount("tax")).isEqualByComparingTo("10000.00");
        Explanation table = e.explanation().get(0).uses().get(0);
        assertThat(table.bracket().index()).isEqualTo(3);
        assertThat(table.bracket().method()).isEqualTo("marginal");
        // at a bound the lower row applies: 10,000 × 10 %
        assertThat(pack.evaluate(Map.of("income", Value.money("10000.00", "USD"))).amount("tax"))
                .isEqualByComparingTo("1000.00");
        assertThat(pack.evaluate(Map.of("income", Value.money("0.00", "USD"))).amount("tax"))
                .isEqualByComparingTo("0.00");
    }

    @Test
    void tablesRefuseNegativeAmounts() {
        RulePack pack = Rules.pack("""
                input income : decimal;
                table t : progressive decimal { up to 10 : rate 10%; above : rate 20%, deduct 1; }
                output tax : decimal = t(income);
                """);
        assertThatThrownBy(() -> pack.evaluate(Map.of("income", Value.decimal("-5"))))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("test.rules:6:24: table t applied to the negative amount -5; clamp it first, e.g. max(0, ...)");
    }

    @Test
    void functionsEnumsDatesAndConditionals() {
        RulePack pack = Rules.pack("""
                enum Column { KOU, OTSU, HEI }
                input column : Column;
                input paid_on : date;
                input a : money[JPY];
                input b : money[JPY];
                output smaller : money[JPY] = min(a, b, 500 JPY);
                output larger : money[JPY] = max(a, b);
                output distance : money[JPY] = abs(a - b);
                output late_in_year : boolean = month(paid_on) >= 10 and year(paid_on) == 2026;
                output kou : boolean = column == Column.KOU;
                output reiwa8 : boolean = paid_on >= 2026-01-01 and paid_on <= 2026-12-31;
                output share : decimal = if b == 0 JPY then 0 else a / b;
                """);
        Evaluation e = pack.evaluate(Map.of("column", Value.enumValue("Column", "OTSU"),
                "paid_on", Value.date("2026-11-25"), "a", Value.money("300", "JPY"), "b", Value.money("1200", "JPY")));
        assertThat(e.outputs()).containsEntry("smaller", Value.money("300", "JPY"))
                .containsEntry("larger", Value.money("1200", "JPY"))
                .containsEntry("distance", Value.money("900", "JPY"))
                .containsEntry("late_in_year", Value.bool(true))
                .containsEntry("kou", Value.bool(false))
                .containsEntry("reiwa8", Value.bool(true))
                .containsEntry("share", Value.decimal("0.25"));
    }

    @Test
    void integersWidenToDecimalsAndStayWholeAmongThemselves() {
        RulePack pack = Rules.pack("""
                input n : integer;
                output twice : integer = n * 2;
                output half : decimal = n / 2;
                output widened : decimal = n;
                """);
        Evaluation e = pack.evaluate(Map.of("n", Value.integer(3)));
        assertThat(e.output("twice")).isEqualTo(Value.integer(6));
        assertThat(e.output("half")).isEqualTo(Value.decimal("1.5"));
        assertThat(e.output("widened")).isEqualTo(Value.decimal("3"));
    }

    @Test
    void inputsAreCheckedByNameTypeCurrencyRangeAndDefault() {
        RulePack pack = Rules.pack("""
                enum Column { KOU, OTSU }
                input salary : money[CNY] in 0 CNY .. 1_000_000 CNY;
                input months : integer in 1 .. 12 default 1;
                input column : Column default Column.KOU;
                output z : money[CNY] = salary * months;
                """);
        assertThat(pack.evaluate(Map.of("salary", Value.money("10.50", "CNY"))).amount("z")).isEqualTo("10.50");
        assertThatThrownBy(() -> pack.evaluate(Map.of()))
                .hasMessage("test.rules:5:7: missing input 'salary' of type money[CNY]");
        assertThatThrownBy(() -> pack.evaluate(Map.of("salary", Value.money("1", "CNY"), "bonus", Value.integer(1))))
                .hasMessage("pack test has no input 'bonus' (inputs: salary, months, column)");
        assertThatThrownBy(() -> pack.evaluate(Map.of("salary", Value.money("1", "JPY"))))
                .hasMessage("test.rules:5:7: input 'salary' must be money[CNY], got money[JPY] (1 JPY)");
        assertThatThrownBy(() -> pack.evaluate(Map.of("salary", Value.money("1", "CNY"), "months", Value.integer(13))))
                .hasMessage("test.rules:6:7: input 'months' = 13 is outside 1 .. 12");
        assertThatThrownBy(() -> pack.evaluate(Map.of("salary", Value.money("1", "CNY"),
                "column", Value.enumValue("Column", "HEI"))))
                .hasMessage("test.rules:7:7: input 'column': enum Column has no member 'HEI' (members: KOU, OTSU)");
        assertThatThrownBy(() -> pack.evaluate(Map.of("salary", Value.money("1.001", "CNY"))))
                .hasMessage("test.rules:5:7: input 'salary' = 1.001 CNY has more decimals than CNY allows (2)");
    }

    @Test
    void moneyOutputsMustBeRoundedToTheirCurrency() {
        RulePack pack = Rules.pack("""
                input salary : money[CNY];
                output tax : money[CNY] = salary * 3%;
                """);
        assertThat(pack.evaluate(Map.of("salary", Value.money("100.00", "CNY"))).amount("tax")).isEqualTo("3.00");
        assertThatThrownBy(() -> pack.evaluate(Map.of("salary", Value.money("100.01", "CNY"))))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("test.rules:5:8: output 'tax' = 3.0003 CNY has more decimals than CNY allows (2); round it explicitly");
    }

    @Test
    void constantsAndDescriptionsAppearInTheExplanation() {
        RulePack pack = Rules.pack("""
                const monthly : money[CNY] "basic deduction" = 5_000 CNY;
                input months : integer;
                output total : money[CNY] "all months" = monthly * months;
                """);
        Evaluation e = pack.evaluate(Map.of("months", Value.integer(3)));
        assertThat(e.toText()).contains("total = 15000.00 CNY  [output, = at 6:8]  \"all months\"")
                .contains("  monthly = 5000.00 CNY  [constant, = at 4:7]  \"basic deduction\"")
                .contains("  months = 3  [input, input at 5:7]");
    }
}
