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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden figures for tax/de/de-lohnsteuer-2026.rules, worked by hand from the BMF Programmablaufplan 2026:
 * ZTABFB = 1,230 (ANP) + 36 (SAP) [+ 4,260 EFA in class II]; Vorsorgepauschale VSP = ⌈VSPR + VSPKVPV⌉ with
 * VSPR = 9.3 % of the wage up to 101,400 and VSPKVPV = (7 % + KVZ/2 + care rate) of the wage up to 69,750, or
 * ⌈VSPR + min(1,900, 1.3 % × wage + VSPKVPV)⌉ if that is higher; ZVE = wage − ZTABFB − VSP; tariff (UPTAB26):
 * X ≤ 12,348: 0; X < 17,800: (914.51 y + 1,400) y, y = (X − 12,348)/10,000; X < 69,879:
 * (173.10 z + 2,397) z + 1,034.87, z = (X − 17,799)/10,000; X < 277,826: 0.42 X − 11,135.63; else 0.45 X −
 * 19,470.38; each rounded down to the euro.
 */
class DeLohnsteuer2026Test {

    static RulePack pack;

    @BeforeAll
    static void load() {
        pack = RuleLibrary.fromClasspath().find("de-lohnsteuer", LocalDate.of(2026, 6, 30));
    }

    static Map<String, Value> statutory(String wage, String taxClass, boolean childless) {
        Map<String, Value> in = new HashMap<>();
        in.put("tax_class", Value.enumValue("TaxClass", taxClass));
        in.put("wage", Value.money(wage, "EUR"));
        in.put("health_insurance_supplement_percent", Value.decimal("2.9"));
        in.put("childless_surcharge", Value.bool(childless));
        return in;
    }

    @Test
    void issueExample50000ClassIChildlessWithholds6788() {
        // VSPR = 50,000 × 9.3 % = 4,650; KV+PV = 50,000 × (7 % + 1.45 % + 1.8 % + 0.6 %) = 5,425; VSP = 10,075
        // (MVSPHB: 4,650 + min(1,900, 650 + 5,425) = 6,550 is lower). ZVE = 50,000 − 1,266 − 10,075 = 38,659.
        // z = 2.086; (173.10 × 2.086 + 2,397) × 2.086 + 1,034.87 = 6,788.24 -> 6,788
        Evaluation e = pack.evaluate(statutory("50000.00", "I", true));
        assertThat(e.amount("lohnsteuer_year")).isEqualTo(new BigDecimal("6788.00"));
        assertThat(e.toText()).contains("provision_allowance = 10075.00 EUR").contains("rule zone3");
    }

    @ParameterizedTest(name = "{0} EUR, class {1}, childless {2} -> {3}")
    @CsvSource({
            // with children: care 1.8 % -> KV+PV 5,125, VSP 9,775, ZVE 38,959, z = 2.116 -> 6,881.97 -> 6,881
            "50000.00, I, false, 6881.00",
            // class II: EFA 4,260 -> ZTABFB 5,526; ZVE 34,399; z = 1.66 -> 5,490.88 -> 5,490
            "50000.00, II, true, 5490.00",
            // class III: X = ⌊38,659 / 2⌋ = 19,329; z = 0.153 -> 1,405.66 -> 1,405; × 2 = 2,810
            "50000.00, III, true, 2810.00",
            // class IV without factor: as class I
            "50000.00, IV, true, 6788.00",
            // above both ceilings: VSPR 101,400 × 9.3 % = 9,430.20; KV+PV 69,750 × 10.85 % = 7,567.875 -> 7,567.87;
            // VSP = ⌈16,998.07⌉ = 16,999; ZVE = 101,735; 0.42 × 101,735 − 11,135.63 = 31,593.07 -> 31,593
            "120000.00, I, true, 31593.00",
            // zone 5: ZVE = 400,000 − 1,266 − 16,999 = 381,735; 0.45 × 381,735 − 19,470.38 = 152,310.37
            "400000.00, I, true, 152310.00",
            // zone 2, with children: VSPR 1,860, KV+PV 2,050 -> VSP 3,910 (MVSPHB 1,860 + 1,900 = 3,760 lower);
            // ZVE = 14,824; y = 0.2476; (914.51 × 0.2476 + 1,400) × 0.2476 = 402.70 -> 402
            "20000.00, I, false, 402.00",
            // 12,000: VSP = max(⌈1,116 + 1,302⌉, ⌈1,116 + min(1,900, 156 + 1,302)⌉) = 2,574; ZVE 8,160 -> 0
            "12000.00, I, true, 0.00",
    })
    void yearlyWages(String wage, String taxClass, boolean childless, String expected) {
        assertThat(pack.evaluate(statutory(wage, taxClass, childless)).amount("lohnsteuer_year"))
                .isEqualTo(new BigDecimal(expected));
    }

    @Test
    void monthlyPayIsTheYearlyTaxOnTwelveMonthsDividedByTwelveDownToTheCent() {
        // 4,000 a month -> 48,000: VSPR 4,464; KV+PV 5,208; VSP 9,672; ZVE 37,062; z = 1.9263 -> 6,294.52 -> 6,294;
        // 6,294 / 12 = 524.50
        Map<String, Value> in = statutory("4000.00", "I", true);
        in.put("pay_period", Value.enumValue("PayPeriod", "MONTH"));
        Evaluation e = pack.evaluate(in);
        assertThat(e.amount("lohnsteuer_year")).isEqualTo(new BigDecimal("6294.00"));
        assertThat(e.amount("lohnsteuer_period")).isEqualTo(new BigDecimal("524.50"));
    }

    @Test
    void privateHealthInsuranceUsesThePremiumLessTheEmployerSubsidy() {
        // VSPKVPV = 12 × 100 − 12 × 50 = 600; VSPR = 2,790; VSP = max(3,390, ⌈2,790 + (390 + 600)⌉ = 3,780) = 3,780
        // ZVE = 30,000 − 1,266 − 3,780 = 24,954; z = 0.7155 -> 2,838.54 -> 2,838
        Map<String, Value> in = statutory("30000.00", "I", true);
        in.put("private_health", Value.bool(true));
        in.put("private_premium_monthly", Value.money("100.00", "EUR"));
        in.put("employer_subsidy_monthly", Value.money("50.00", "EUR"));
        assertThat(pack.evaluate(in).amount("lohnsteuer_year")).isEqualTo(new BigDecimal("2838.00"));
    }

    /**
     * Each zone boundary of the tariff. With no pension or unemployment insurance and a private premium of 0, the
     * Vorsorgepauschale is 0, so X = wage − 1,266 exactly.
     *   12,348 -> 0; 12,349 -> (914.51 × 0.0001 + 1,400) × 0.0001 = 0.14 -> 0
     *   17,799 -> y = 0.5451: (914.51 × 0.5451 + 1,400) × 0.5451 = 1,034.87 -> 1,034; 17,800 -> z = 0.0001 -> 1,035.11 -> 1,035
     *   69,878 -> z = 5.2079: 18,213.06 -> 18,213;    69,879 -> 0.42 × 69,879 − 11,135.63 = 18,213.55 -> 18,213
     *   277,825 -> 105,550.87 -> 105,550;             277,826 -> 0.45 × 277,826 − 19,470.38 = 105,551.32 -> 105,551
     */
    @ParameterizedTest(name = "X = {0} -> {1} ({2})")
    @CsvSource({
            "12348, 0, zone1_free", "12349, 0, zone2", "17799, 1034, zone2", "17800, 1035, zone3",
            "69878, 18213, zone3", "69879, 18213, zone4", "277825, 105550, zone4", "277826, 105551, otherwise",
    })
    void everyTariffZoneBoundary(long x, long tax, String rule) {
        Map<String, Value> in = new HashMap<>();
        in.put("tax_class", Value.enumValue("TaxClass", "I"));
        in.put("wage", Value.money(BigDecimal.valueOf(x + 1_266), "EUR"));
        in.put("pension_insured", Value.bool(false));
        in.put("unemployment_insured", Value.bool(false));
        in.put("private_health", Value.bool(true));
        Evaluation e = pack.evaluate(in);
        assertThat(e.amount("lohnsteuer_year")).isEqualByComparingTo(BigDecimal.valueOf(tax));
        assertThat(ExplanationTrees.find(e.explanation().get(0), "tariff_tax").rule()).isEqualTo(rule);
    }

    /**
     * Classes V and VI (MST5_6), 30,000 EUR a year, 2.9 % supplement, childless: VSP = ⌈2,790 + 3,255⌉ = 6,045 (the
     * unemployment variant 2,790 + 1,900 is lower). Class V keeps ANP + SAP (1,266): X = 22,689, between W1STKL5
     * (14,071) and W2STKL5 (34,939). UP5_6(22,689): tariff on ⌊1.25 X⌋ = 28,361 is 3,759 (z = 1.0562) and on
     * ⌊0.75 X⌋ = 17,016 is 852 (y = 0.4668), twice the difference 5,814 > 14 % (3,176). UP5_6(14,071): tariff on
     * 17,588 is 984 and on 10,553 is 0, twice 1,968 < 14 % = 1,969. 1,969 + 0.42 × (22,689 − 14,071) = 5,588.56
     * -> 5,588, lower than 5,814: 5,588. Class VI has no ANP or SAP: X = 23,955; UP5_6 = 2 × (4,201 − 1,074) =
     * 6,254; 1,969 + 0.42 × 9,884 = 6,120.28 -> 6,120.
     */
    @ParameterizedTest(name = "class {0}: {1}")
    @CsvSource({"V, 5588.00, above_w1", "VI, 6120.00, above_w1"})
    void classesFiveAndSix(String taxClass, String expected, String rule) {
        Evaluation e = pack.evaluate(statutory("30000.00", taxClass, true));
        assertThat(e.amount("lohnsteuer_year")).isEqualTo(new BigDecimal(expected));
        assertThat(ExplanationTrees.find(e.explanation().get(0), "class5_6_tax").rule()).isEqualTo(rule);
    }

    /**
     * Solidarity surcharge (MSOLZ) and church tax, class I, 2.9 % supplement, childless, yearly.
     * 90,000: VSP = ⌈8,370 + 7,567.87⌉ = 15,938, ZVE = 72,796, tax 0.42 × 72,796 − 11,135.63 -> 19,438, not over
     * the exemption of 20,350: no surcharge. 110,000: VSP = ⌈9,430.20 + 7,567.87⌉ = 16,999, ZVE = 91,735, tax 27,393;
     * 5.5 % = 1,506.61 but the mitigation zone caps it at 11.9 % × (27,393 − 20,350) = 838.11. 200,000: ZVE 181,735,
     * tax 65,193; 5.5 % = 3,585.61 < 11.9 % × 44,843 = 5,336.31. Church tax on the tax: 9 % (Berlin) and 8 % (Bavaria)
     * down to the cent.
     */
    @ParameterizedTest(name = "{0} EUR -> tax {1}, surcharge {2}, church tax {3} (BE) / {4} (BY)")
    @CsvSource({
            "90000.00, 19438.00, 0.00, 1749.42, 1555.04",
            "110000.00, 27393.00, 838.11, 2465.37, 2191.44",
            "200000.00, 65193.00, 3585.61, 5867.37, 5215.44",
    })
    void solidaritySurchargeAndChurchTax(String wage, String tax, String surcharge, String berlin, String bavaria) {
        Map<String, Value> in = statutory(wage, "I", true);
        in.put("church_tax", Value.enumValue("ChurchTax", "BE"));
        Evaluation e = pack.evaluate(in);
        assertThat(e.amount("lohnsteuer_year")).isEqualTo(new BigDecimal(tax));
        assertThat(e.amount("solidarity_surcharge_year")).isEqualTo(new BigDecimal(surcharge));
        assertThat(e.amount("church_tax_base_period")).isEqualTo(new BigDecimal(tax));
        assertThat(e.amount("church_tax_period")).isEqualTo(new BigDecimal(berlin));
        assertThat(e.amount("withholding_period"))
                .isEqualTo(new BigDecimal(tax).add(new BigDecimal(surcharge)).add(new BigDecimal(berlin)));
        in.put("church_tax", Value.enumValue("ChurchTax", "BY"));
        assertThat(pack.evaluate(in).amount("church_tax_period")).isEqualTo(new BigDecimal(bavaria));
        in.put("church_tax", Value.enumValue("ChurchTax", "NONE"));
        assertThat(pack.evaluate(in).amount("church_tax_period")).isEqualTo(new BigDecimal("0.00"));
    }

    /**
     * Child allowances lower the base of the surcharge and church tax, not the Lohnsteuer: 110,000 EUR with one
     * allowance (KFB 9,756): ZVE 81,979, 0.42 × 81,979 − 11,135.63 = 23,295.55 -> JBMG 23,295; surcharge
     * 11.9 % × 2,945 = 350.45; church tax 9 % of 23,295 = 2,096.55. Class IV halves the allowance (4,878).
     */
    @Test
    void childAllowancesLowerTheSurchargeAndChurchTaxBase() {
        Map<String, Value> in = statutory("110000.00", "I", true);
        in.put("child_allowances", Value.decimal("1"));
        in.put("church_tax", Value.enumValue("ChurchTax", "HH"));
        Evaluation e = pack.evaluate(in);
        assertThat(e.amount("lohnsteuer_year")).isEqualTo(new BigDecimal("27393.00"));
        assertThat(e.amount("surcharge_base_year")).isEqualTo(new BigDecimal("23295.00"));
        assertThat(e.amount("solidarity_surcharge_year")).isEqualTo(new BigDecimal("350.45"));
        assertThat(e.amount("church_tax_period")).isEqualTo(new BigDecimal("2096.55"));
        in.put("tax_class", Value.enumValue("TaxClass", "IV"));
        // ZVE 86,857: 0.42 × 86,857 − 11,135.63 = 25,344.31 -> 25,344
        assertThat(pack.evaluate(in).amount("surcharge_base_year")).isEqualTo(new BigDecimal("25344.00"));
    }
}
