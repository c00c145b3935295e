package ledger.tax.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile rule files are stopped with a clear error, never a StackOverflowError, a hang or a huge number
 * (docs/tax-rules.md, "Safety"). Each case must finish well within its timeout.
 */
@Timeout(value = 20)
class SandboxTest {

    @Test
    void deeplyNestedParenthesesAreRefusedBeforeTheParserRecurses() {
        String expr = "(".repeat(100_000) + "1" + ")".repeat(100_000);
        Diagnostic d = Rules.loadError("output z : decimal = " + expr + ";\n");
        assertThat(d.line()).isEqualTo(Rules.HEADER_LINES + 1);
        assertThat(d.column()).isEqualTo(22 + 64);
        assertThat(d.message()).isEqualTo("statement nests deeper than the limit of 64 (parentheses, calls, if and unary operators)");
    }

    @Test
    void deeplyNestedUnaryOperatorsAndIfsAreRefused() {
        assertThat(Rules.loadError("output z : decimal = " + "- ".repeat(50_000) + "1;\n").message())
                .contains("statement nests deeper than the limit of 64");
        assertThat(Rules.loadError("output z : boolean = " + "not ".repeat(50_000) + "true;\n").message())
                .contains("statement nests deeper than the limit of 64");
        assertThat(Rules.loadError("output z : decimal = " + "if true then ".repeat(10_000) + "1"
                + " else 2".repeat(10_000) + ";\n").message())
                .contains("statement nests deeper than the limit of 64");
    }

    @Test
    void longOperatorChainsAreRefusedByTheDepthLimit() {
        Diagnostic d = Rules.loadError("output z : decimal = 1" + " + 1".repeat(100_000) + ";\n");
        assertThat(d.line()).isEqualTo(Rules.HEADER_LINES + 1);
        assertThat(d.column()).isEqualTo(22);
        assertThat(d.message()).isEqualTo(
                "expression is a chain of more than 96 operators, more than the depth limit; split it into named values");
    }

    @Test
    void exponentNotationIsNotANumber() {
        Diagnostic d = Rules.loadError("output z : decimal = 1e999999;\n");
        assertThat(d.line()).isEqualTo(Rules.HEADER_LINES + 1);
        assertThat(d.column()).isEqualTo(23);
        assertThat(d.message()).isEqualTo("exponent notation is not part of the language; write the number out");
    }

    @Test
    void hugeLiteralsAreRefusedAtLoad() {
        Diagnostic big = Rules.loadError("output z : decimal = 1" + "0".repeat(999_99) + ";\n");
        assertThat(big.message()).contains("more than the limits of 24 before and 40 after the point");
        Diagnostic wide = Rules.loadError("output z : decimal = 1" + "0".repeat(24) + ";\n");
        assertThat(wide.message()).isEqualTo("number has 25 digits before the point, more than the limit of 24");
    }

    @Test
    void numbersThatGrowBeyondTheMagnitudeLimitStopTheEvaluation() {
        RulePack pack = Rules.pack("""
                input x : decimal;
                output z : decimal = x * x * x * x;
                """);
        // 10^5 to the fourth is 10^20 (21 digits); 10^9 cubed already has 28 digits, over the limit of 24.
        assertThat(pack.evaluate(Map.of("x", Value.decimal("100000"))).output("z"))
                .isEqualTo(Value.decimal("100000000000000000000"));
        assertThatThrownBy(() -> pack.evaluate(Map.of("x", Value.decimal("1000000000"))))
                .isInstanceOf(RuleLimitException.class)
                .hasMessage("test.rules:5:28: number with 28 digits before the point exceeds the limit of 24");
        assertThatThrownBy(() -> pack.evaluate(Map.of("x", Value.decimal("0.00000000001"))))
                .isInstanceOf(RuleLimitException.class)
                .hasMessageContaining("digits after the point exceeds the limit of 40");
    }

    @Test
    void hugeInputsAreRefused() {
        RulePack pack = Rules.pack("""
                input x : decimal;
                output z : decimal = x;
                """);
        assertThatThrownBy(() -> pack.evaluate(Map.of("x", new Value.Decimal(new BigDecimal("1E+999999")))))
                .isInstanceOf(RuleLimitException.class)
                .hasMessageContaining("input 'x': number with 1000000 digits before the point exceeds the limit of 24");
    }

    @Test
    void divisionKeeps34SignificantDigitsAndStopsOnZero() {
        RulePack pack = Rules.pack("""
                input x : decimal;
                output z : decimal = 1 / x;
                """);
        assertThat(pack.evaluate(Map.of("x", Value.decimal("3"))).output("z"))
                .isEqualTo(Value.decimal("0.3333333333333333333333333333333333"));
        assertThatThrownBy(() -> pack.evaluate(Map.of("x", Value.decimal("0"))))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("test.rules:5:24: division by zero");
    }

    @Test
    void veryManyRulesOrDeclarationsAreRefused() {
        StringBuilder rules = new StringBuilder("input a : integer;\noutput z : integer {\n");
        for (int i = 0; i < 5_000; i++) {
            rules.append("  rule r").append(i).append(" priority ").append(i).append(" : when a == ").append(i)
                    .append(" then ").append(i).append(";\n");
        }
        rules.append("  otherwise 0;\n}\n");
        Diagnostic manyRules = Rules.loadError(rules.toString());
        assertThat(manyRules.message()).isEqualTo("z has more than 200 rules");
        assertThat(manyRules.line()).isEqualTo(Rules.HEADER_LINES + 2 + 201);

        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            values.append("output v").append(i).append(" : integer = ").append(i).append(";\n");
        }
        assertThat(Rules.loadError(values.toString()).message()).isEqualTo("more than 2000 declarations in one file");
    }

    @Test
    void longChainsOfValuesHitTheEvaluationDepthLimit() {
        StringBuilder chain = new StringBuilder("input a : integer;\nvalue v0 : integer = a;\n");
        for (int i = 1; i < 1_500; i++) {
            chain.append("value v").append(i).append(" : integer = v").append(i - 1).append(" + 1;\n");
        }
        chain.append("output z : integer = v1499;\n");
        RulePack pack = Rules.pack(chain.toString());
        assertThatThrownBy(() -> pack.evaluate(Map.of("a", Value.integer(1))))
                .isInstanceOf(RuleLimitException.class)
                .hasMessageContaining("evaluation nested deeper than 400 levels");
    }

    @Test
    void everyEvaluationHasAStepLimit() {
        StringBuilder wide = new StringBuilder("input a : integer;\n");
        for (int i = 0; i < 1_000; i++) {
            wide.append("value v").append(i).append(" : integer = a * ").append(i).append(" + a * a - a;\n");
        }
        wide.append("output z : integer = max(v0");
        for (int i = 1; i < 1_000; i++) {
            wide.append(", v").append(i);
        }
        wide.append(");\n");
        RulePack generous = Rules.pack(wide.toString());
        Evaluation ok = generous.evaluate(Map.of("a", Value.integer(2)));
        assertThat(ok.output("z")).isEqualTo(Value.integer(2 * 999 + 2));
        assertThat(ok.steps()).isGreaterThan(5_000);

        RulePack tight = Rules.pack(wide.toString(), RuleLimits.DEFAULT.withStepsMax(5_000));
        assertThatThrownBy(() -> tight.evaluate(Map.of("a", Value.integer(2))))
                .isInstanceOf(RuleLimitException.class)
                .hasMessageContaining("evaluation took more than 5000 steps");
    }

    @Test
    void selfReferenceHiddenInARuleConditionIsRefusedAtLoad() {
        Diagnostic d = Rules.loadError("""
                input a : integer;
                value x : integer {
                    rule via_y priority 1 : when y > 0 then 1;
                    otherwise a;
                }
                value y : integer = x + 1;
                output z : integer = y;
                """);
        assertThat(d.message()).isEqualTo("cycle between named values: x -> y -> x");
        assertThat(d.line()).isEqualTo(Rules.HEADER_LINES + 6);
    }

    @Test
    void oversizedFilesAreRefusedUnread() {
        byte[] big = (Rules.HEADER + "// " + "x".repeat(600 * 1024) + "\noutput z : integer = 1;\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RulePacks.parse("big.rules", big))
                .isInstanceOf(RuleLoadException.class)
                .hasMessageContaining("big.rules:1:1: file has " + big.length + " bytes, more than the limit of 524288");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bad = (Rules.HEADER + "output z : integer = 1;\n").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 3] = (byte) 0xC3;
        assertThatThrownBy(() -> RulePacks.parse("bad.rules", bad))
                .isInstanceOf(RuleLoadException.class)
                .hasMessage("bad.rules:1:1: file is not valid UTF-8");
    }

    @Test
    void aNestingBombIsRefusedQuickly() {
        long start = System.nanoTime();
        Rules.loadError("output z : decimal = " + "(".repeat(200_000) + "1" + ")".repeat(200_000) + ";\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
