package ledger.tax.rules.packs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import ledger.tax.rules.Evaluation;
import ledger.tax.rules.RuleLibrary;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden figures for tax/de/de-lohnsteuer-2025.rules, worked by hand from the BMF Programmablaufplan 2025 (UPEVP,
 * MVSP and UPTAB25: X ≤ 12,096: 0; X < 17,444: (932.30 y + 1,400) y, y = (X − 12,096)/10,000; X < 68,481:
 * (176.64 z + 2,397) z + 1,015.13, z = (X − 17,443)/10,000; X < 277,826: 0.42 X − 10,911.92; else 0.45 X −
 * 19,246.67, each down to the euro). DeLohnsteuerPap2025Test compares the pack with the PAP itself.
 */
class DeLohnsteuer2025Test {

    static RuleLibrary library;
    static RulePack pack;

    @BeforeAll
    static void load() {
        library = RuleLibrary.fromClasspath();
        pack = library.find("de-lohnsteuer", LocalDate.of(2025, 12, 31));
    }

    @Test
    void theYearIsChosenByThePayDate() {
        assertThat(pack.id().version()).isEqualTo("2025.1");
        assertThat(library.find("de-lohnsteuer", LocalDate.of(2025, 1, 1)).id().version()).isEqualTo("2025.1");
        assertThat(library.find("de-lohnsteuer", LocalDate.of(2026, 1, 1)).id().version()).isEqualTo("2026.2");
    }

    @Test
    void monthlyWageOf4000ClassIChildless() {
        // 48,000 a year: VSP1 = 9.3 % = 4,464; VSP2 = min(12 % = 5,760, 1,900) -> VSPN 6,364; VSP3 = 48,000 ×
        // (7 % + 1.45 % + 1.8 % + 0.6 %) = 5,208 -> VSP = 9,672 (higher). ZVE = 48,000 − 1,266 − 9,672 = 37,062;
        // z = 1.9619: (176.64 z + 2,397) z + 1,015.13 = 6,397.70 -> 6,397; a month: 6,397 / 12 = 533.08
        Map<String, Value> in = new HashMap<>();
        in.put("tax_class", Value.enumValue("TaxClass", "I"));
        in.put("pay_period", Value.enumValue("PayPeriod", "MONTH"));
        in.put("wage", Value.money("4000.00", "EUR"));
        in.put("health_insurance_supplement_percent", Value.decimal("2.9"));
        in.put("childless_surcharge", Value.bool(true));
        Evaluation e = pack.evaluate(in);
        assertThat(e.amount("lohnsteuer_year")).isEqualTo(new BigDecimal("6397.00"));
        assertThat(e.amount("lohnsteuer_period")).isEqualTo(new BigDecimal("533.08"));
        assertThat(e.amount("withholding_period")).isEqualTo(new BigDecimal("533.08"));
    }

    @Test
    void theMinimumVorsorgepauschaleWinsOverASmallPrivatePremium() {
        // 30,000, private insurance with no premium: VSP from MVSP = ⌈2,790 + 0⌉ = 2,790; the minimum
        // VSPN = ⌈2,790 + min(3,600, 1,900)⌉ = 4,690 is higher. ZVE = 30,000 − 1,266 − 4,690 = 24,044;
        // z = 0.6601: 2,674.36 -> 2,674
        Map<String, Value> in = new HashMap<>();
        in.put("tax_class", Value.enumValue("TaxClass", "I"));
        in.put("wage", Value.money("30000.00", "EUR"));
        in.put("private_health", Value.bool(true));
        Evaluation e = pack.evaluate(in);
        assertThat(e.amount("lohnsteuer_year")).isEqualTo(new BigDecimal("2674.00"));
        assertThat(ExplanationTrees.find(e.explanation().get(0), "provision_allowance").rule()).isEqualTo("minimum_higher");
    }
}
