package ledger.tax.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Parse and type errors name file, line, column and why (docs/tax-rules.md, "Checks at load time"). */
class RuleLanguageErrorsTest {

    private static void assertError(Diagnostic d, int bodyLine, int column, String message) {
        assertThat(d.file()).isEqualTo("test.rules");
        assertThat(d.line()).as("line of %s", d).isEqualTo(Rules.HEADER_LINES + bodyLine);
        assertThat(d.column()).as("column of %s", d).isEqualTo(column);
        assertThat(d.message()).contains(message);
    }

    @Test
    void missingSemicolonIsASyntaxErrorAtTheNextToken() {
        Diagnostic d = Rules.loadError("""
                input a : decimal
                output b : decimal = a;
                """);
        assertError(d, 2, 1, "mismatched input 'output' expecting");
    }

    @Test
    void unknownCharacterIsReportedWhereItIs() {
        Diagnostic d = Rules.loadError("""
                input a : decimal;
                output b : decimal = a @ 2;
                """);
        assertError(d, 2, 24, "unexpected character '@'");
    }

    @Test
    void moneyDoesNotMixWithDecimals() {
        Diagnostic d = Rules.loadError("""
                input a : money[CNY];
                output b : money[CNY] = a + 1.5;
                """);
        assertError(d, 2, 27, "'+' cannot combine money[CNY] and decimal");
    }

    @Test
    void currenciesDoNotMix() {
        Diagnostic d = Rules.loadError("""
                input a : money[CNY];
                input b : money[JPY];
                output c : money[CNY] = a - b;
                """);
        assertError(d, 3, 27, "currency mismatch: CNY vs JPY");
    }

    @Test
    void moneyTimesMoneyIsRejected() {
        Diagnostic d = Rules.loadError("""
                input a : money[CNY];
                output c : money[CNY] = a * a;
                """);
        assertError(d, 2, 27, "'*' cannot combine money[CNY] and money[CNY]");
    }

    @Test
    void declaredTypeMustMatch() {
        Diagnostic d = Rules.loadError("""
                input a : decimal;
                output c : money[CNY] = a * 2;
                """);
        assertError(d, 2, 25, "c must be money[CNY] but is decimal");
    }

    @Test
    void unknownNamesAreReported() {
        Diagnostic d = Rules.loadError("""
                input a : decimal;
                output c : decimal = a + salry;
                """);
        assertError(d, 2, 26, "unknown name 'salry'");
    }

    @Test
    void cyclesBetweenNamedValuesAreReported() {
        Diagnostic d = Rules.loadError("""
                input a : decimal;
                value x : decimal = y + a;
                value y : decimal = x * 2;
                output z : decimal = x;
                """);
        assertError(d, 3, 7, "cycle between named values: x -> y -> x");
    }

    @Test
    void aValueThatUsesItselfIsACycle() {
        Diagnostic d = Rules.loadError("""
                output z : decimal = z + 1;
                """);
        assertError(d, 1, 8, "cycle between named values: z -> z");
    }

    @Test
    void rulePrioritiesMustDiffer() {
        Diagnostic d = Rules.loadError("""
                input a : decimal;
                output z : decimal {
                    rule small priority 1 : when a < 1 then 0;
                    rule large priority 1 : when a > 10 then 1;
                    otherwise 2;
                }
                """);
        assertError(d, 4, 10, "rule large has the same priority 1 as rule small at line " + (Rules.HEADER_LINES + 3));
    }

    @Test
    void constantsCannotUseInputs() {
        Diagnostic d = Rules.loadError("""
                input a : decimal;
                const k : decimal = a * 2;
                output z : decimal = k;
                """);
        assertError(d, 2, 21, "only constants may be used here, 'a' is an input");
    }

    @Test
    void bracketBoundsMustIncrease() {
        Diagnostic d = Rules.loadError("""
                input a : money[CNY];
                table t : progressive money[CNY] {
                    up to 100 CNY : rate 10%;
                    up to 50 CNY : rate 20%;
                    above : rate 30%;
                }
                output z : money[CNY] = round(t(a), half_up, 0.01);
                """);
        assertError(d, 4, 11, "bracket bound 50 must be greater than the previous bound 100");
    }

    @Test
    void marginalTablesHaveNoQuickDeduction() {
        Diagnostic d = Rules.loadError("""
                table t : marginal decimal {
                    up to 100 : rate 10%, deduct 5;
                    above : rate 30%;
                }
                output z : decimal = t(1);
                """);
        assertError(d, 2, 34, "'deduct' and 'add' belong to progressive tables");
    }

    @Test
    void unknownCurrencyIsReported() {
        Diagnostic d = Rules.loadError("""
                input a : money[XYZ];
                output z : money[XYZ] = a;
                """);
        assertError(d, 1, 17, "unknown ISO 4217 currency 'XYZ'");
    }

    @Test
    void invalidCalendarDateIsReported() {
        Diagnostic d = Rules.loadError("""
                input d : date;
                output z : boolean = d < 2025-02-30;
                """);
        assertError(d, 2, 26, "not a calendar date: 2025-02-30");
    }

    @Test
    void unknownEnumMemberListsTheMembers() {
        Diagnostic d = Rules.loadError("""
                enum Column { KOU, OTSU }
                input c : Column;
                output z : boolean = c == Column.HEI;
                """);
        assertError(d, 3, 27, "enum Column has no member 'HEI' (members: KOU, OTSU)");
    }

    @Test
    void roundNeedsAKnownModeAndAConstantUnit() {
        Diagnostic mode = Rules.loadError("""
                input a : decimal;
                output z : decimal = round(a, nearest, 1);
                """);
        assertError(mode, 2, 31, "mismatched input 'nearest'");
        Diagnostic unit = Rules.loadError("""
                input a : decimal;
                output z : decimal = round(a, up, a);
                """);
        assertError(unit, 2, 35, "only constants may be used here, 'a' is an input");
    }

    @Test
    void headerErrorsNameTheirPlaceToo() {
        assertThatThrownBy(() -> RulePacks.parse("h.rules", """
                pack "x" version "1";
                jurisdiction "XX";
                valid from 2025-12-31 to 2025-01-01;
                output z : decimal = 1;
                """.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RuleLoadException.class)
                .hasMessage("h.rules:3:26: validity ends (2025-01-01) before it starts (2025-12-31)");
    }

    @Test
    void reportsSeveralProblemsAtOnceInFileOrder() {
        RuleLoadException e = org.junit.jupiter.api.Assertions.assertThrows(RuleLoadException.class, () -> Rules.pack("""
                input a : money[CNY];
                value x : decimal = a;
                output z : money[CNY] = a + b;
                """));
        assertThat(e.diagnostics()).hasSize(2);
        assertThat(e.diagnostics().get(0).line()).isEqualTo(Rules.HEADER_LINES + 2);
        assertThat(e.diagnostics().get(1).message()).contains("unknown name 'b'");
        assertThat(e.getMessage()).contains("test.rules:5:21: x must be decimal but is money[CNY]");
    }
}
