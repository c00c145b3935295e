package ledger.tax.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** {@link RulePack#requiredInputs()}: the inputs without a default, which a caller must always give. */
class RequiredInputsTest {

    @Test
    void listsTheInputsWithoutADefaultInDeclarationOrder() {
        RulePack pack = RulePacks.parse("t.rules", """
                pack "t" version "1";
                jurisdiction "XX";
                valid from 2026-01-01;
                enum Kind { A, B }
                input kind : Kind;
                input factor : decimal default 0.1;
                input base : money[EUR] in 0 EUR .. 100 EUR;
                output tax : money[EUR] = round(base * factor, half_even, 0.01);
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(pack.requiredInputs()).containsExactly("kind", "base");
    }

    @Test
    void theShippedPacksNeedWhatThePreFillDocumentSays() {
        RuleLibrary library = RuleLibrary.fromClasspath();
        assertThat(library.find("cn-iit-wages-cumulative", LocalDate.of(2026, 1, 31)).requiredInputs())
                .containsExactly("months_employed", "cumulative_income");
        assertThat(library.find("de-lohnsteuer", LocalDate.of(2026, 1, 31)).requiredInputs())
                .containsExactly("tax_class", "wage");
        assertThat(library.find("jp-withholding-monthly-kou", LocalDate.of(2026, 1, 31)).requiredInputs())
                .containsExactly("salary_after_social_insurance");
    }
}
