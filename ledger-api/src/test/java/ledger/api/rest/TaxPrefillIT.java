package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * Tax pre-fill over the real HTTP port (docs/tax-prefill.md): payroll postings with metadata, the
 * read model kept by the tracking processor "tax-prefill" (which lags by design: reads here wait for it,
 * boundedly), pre-filled withholding per jurisdiction, the what-if evaluation, posting the withholding,
 * and every refusal.
 */
class TaxPrefillIT extends RestSupport {
    /** The longest the tests wait for the processor to reach a posting. */
    private static final Duration PROCESSOR_WAIT = Duration.ofSeconds(30);

    // ---------------------------------------------------------------- China

    /**
     * The example: salary 10,000, social insurance and housing fund 1,500, special additional
     * deduction 1,000 withholds 75.00 every month under cumulative withholding, provided each month's
     * withholding is posted (it is "already withheld" for the months after).
     */
    @Test
    void chinesePayeeWithholdsSeventyFiveEveryMonthOfTheYear() {
        LedgerClient c = newTenant("tax-cn");
        cnBook(c);
        String lastKey = null;
        JsonNode lastWithholding = null;
        for (int m = 1; m <= 12; m++) {
            String period = "2026-%02d".formatted(m);
            postCnPayroll(c, "zhang-san", period, "10000.00", "1500.00", "1000.00");
            int month = m;
            JsonNode prefill = awaitPrefill(c, "CN", 2026, m, "zhang-san", p ->
                    input(p, "cumulative_income").equals(money(10_000L * month))
                            && input(p, "tax_withheld_so_far").equals(money(75L * (month - 1))));
            assertThat(prefill.at("/withholding/amount").asText()).as("month %d: %s", m, prefill).isEqualTo("75.00");
            assertThat(prefill.at("/withholding/currency").asText()).isEqualTo("CNY");
            assertThat(prefill.at("/withholding/output").asText()).isEqualTo("withholding_this_month");
            assertThat(prefill.at("/outputs/withholding_this_month/amount").asText()).isEqualTo("75.00");
            assertThat(input(prefill, "months_employed")).isEqualTo(String.valueOf(m));
            assertThat(input(prefill, "cumulative_special_deductions")).isEqualTo(money(1_500L * m));
            assertThat(input(prefill, "cumulative_special_additional_deductions")).isEqualTo(money(1_000L * m));
            assertThat(prefill.at("/inputs/cumulative_income/source").asText()).isEqualTo("Σ gross_wage 2026-01.." + period);
            assertThat(prefill.get("months")).hasSize(m);
            assertExplained(prefill, "cn-iit-wages-cumulative", "2019.1");

            lastKey = key();
            Response withheld = c.post("/v1/tax/withholdings", lastKey, json("id", "wht-" + period,
                    "jurisdiction", "CN", "year", 2026, "month", m, "payee", "zhang-san",
                    "debitAccount", "wages-payable", "creditAccount", "iit-payable"));
            assertThat(withheld.status()).as(withheld.toString()).isEqualTo(201);
            lastWithholding = withheld.json();
            assertThat(lastWithholding.at("/legs/0/amount").asText()).isEqualTo("75.00");
            assertThat(lastWithholding.at("/metadata/payroll.category").asText()).isEqualTo("tax_withheld");
            assertThat(lastWithholding.at("/metadata/payroll.period").asText()).isEqualTo(period);
            assertThat(lastWithholding.at("/metadata/tax.pack").asText()).isEqualTo("cn-iit-wages-cumulative");
        }
        // a year of withholding sits in the tax payable account: 12 × 75.00
        assertThat(c.account("iit-payable").json().get("balance").asText()).isEqualTo("900.00");

        // the same key and body answer the stored result and post nothing again
        Response again = c.post("/v1/tax/withholdings", lastKey, json("id", "wht-2026-12", "jurisdiction", "CN",
                "year", 2026, "month", 12, "payee", "zhang-san", "debitAccount", "wages-payable",
                "creditAccount", "iit-payable"));
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(lastWithholding);
        assertThat(c.account("iit-payable").json().get("balance").asText()).isEqualTo("900.00");
    }

    @Test
    void aMonthWithoutPostingsIsRefusedByName() {
        LedgerClient c = newTenant("tax-empty");
        cnBook(c);
        postCnPayroll(c, "li-si", "2026-01", "10000.00", "1500.00", "1000.00");
        awaitPrefill(c, "CN", 2026, 1, "li-si", p -> true);
        JsonNode problem = assertProblem(prefill(c, "CN", "2026", "2", "li-si"), 404, "payroll_period_empty");
        detailMentions(problem, "li-si", "2026-02", "gross_wage");
        assertProblem(prefill(c, "CN", "2026", "1", "nobody"), 404, "payroll_period_empty");
    }

    @Test
    void aWithholdingOfZeroIsNotPosted() {
        LedgerClient c = newTenant("tax-zero");
        cnBook(c);
        postCnPayroll(c, "intern", "2026-03", "3000.00", "300.00", null);
        JsonNode prefill = awaitPrefill(c, "CN", 2026, 3, "intern", p -> true);
        assertThat(prefill.at("/withholding/amount").asText()).isEqualTo("0.00");
        JsonNode problem = assertProblem(c.post("/v1/tax/withholdings", key(), json("id", "wht-intern",
                "jurisdiction", "CN", "year", 2026, "month", 3, "payee", "intern",
                "debitAccount", "wages-payable", "creditAccount", "iit-payable")), 422, "nothing_to_withhold");
        detailMentions(problem, "intern", "2026-03", "0.00 CNY");
        assertProblem(c.get("/v1/transfers/wht-intern"), 404, "transfer_not_found");
        assertProblem(c.post("/v1/tax/withholdings", null, json("id", "wht-intern", "jurisdiction", "CN",
                "year", 2026, "month", 3, "payee", "intern", "debitAccount", "wages-payable",
                "creditAccount", "iit-payable")), 400, "validation_failed");
    }

    /** A pending payroll transfer counts once posted, with the amount posted; a voided one never. */
    @Test
    void aPendingPayrollTransferCountsWithTheAmountPosted() {
        LedgerClient c = newTenant("tax-pending");
        cnBook(c);
        Map<String, String> march = payroll("chen", "2026-03", "gross_wage");
        Response held = c.post("/v1/transfers", key(), json("id", "hold-march", "debitAccount", "salary-expense",
                "creditAccount", "wages-payable", "amount", "12000.00", "currency", "CNY", "pending", true,
                "metadata", march));
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        Response voided = c.post("/v1/transfers", key(), json("id", "hold-void", "debitAccount", "salary-expense",
                "creditAccount", "wages-payable", "amount", "5000.00", "currency", "CNY", "pending", true,
                "metadata", march));
        assertThat(voided.status()).as(voided.toString()).isEqualTo(201);
        assertThat(voidPending(c, key(), "hold-void").status()).isEqualTo(200);
        assertProblem(prefill(c, "CN", "2026", "3", "chen"), 404, "payroll_period_empty");

        Response posted = postPending(c, key(), "hold-march", "11000.00");
        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        JsonNode prefill = awaitPrefill(c, "CN", 2026, 3, "chen", p -> true);
        assertThat(input(prefill, "cumulative_income")).isEqualTo("11000.00");
        assertThat(prefill.get("months")).hasSize(1);
        // 11,000 − 5,000 = 6,000 × 3 % = 180.00
        assertThat(prefill.at("/withholding/amount").asText()).isEqualTo("180.00");
    }

    // ---------------------------------------------------------------- Germany

    /**
     * 4,000.00 EUR a month, class I, childless, 2.9 % supplement: 524.50 Lohnsteuer a month (the yearly tax on
     * 48,000 is 6,294, worked from the BMF PAP 2026 in tax-rules' DeLohnsteuer2026Test). The payee's static
     * inputs ride on the January posting and hold for the months after.
     */
    @Test
    void germanPayeeWithholdsLohnsteuerWithTaxClassFromThePayeesPostings() {
        LedgerClient c = newTenant("tax-de");
        open(c, "personnel-expense", "EUR", "EXPENSE", null);
        open(c, "wages-payable", "EUR", "LIABILITY", null);
        Map<String, String> january = payroll("mueller", "2026-01", "gross_wage");
        january.put("payroll.input.tax_class", "I");
        january.put("payroll.input.health_insurance_supplement_percent", "2.9");
        january.put("payroll.input.childless_surcharge", "true");
        assertThat(transferWithMetadata(c, "de-2026-01", "personnel-expense", "wages-payable", "4000.00", "EUR",
                january).status()).isEqualTo(201);
        assertThat(transferWithMetadata(c, "de-2026-02", "personnel-expense", "wages-payable", "4000.00", "EUR",
                payroll("mueller", "2026-02", "gross_wage")).status()).isEqualTo(201);

        JsonNode february = awaitPrefill(c, "DE", 2026, 2, "mueller", p -> true);
        assertThat(february.at("/withholding/amount").asText()).as(february.toString()).isEqualTo("524.50");
        assertThat(february.at("/outputs/lohnsteuer_year/amount").asText()).isEqualTo("6294.00");
        assertThat(february.at("/inputs/wage/amount").asText()).isEqualTo("4000.00");
        assertThat(february.at("/inputs/pay_period/value").asText()).isEqualTo("PayPeriod.MONTH");
        assertThat(february.at("/inputs/tax_class/value").asText()).isEqualTo("TaxClass.I");
        assertThat(february.at("/inputs/tax_class/source").asText()).contains("de-2026-01", "2026-01");
        assertExplained(february, "de-lohnsteuer", "2026.2");
        assertThat(february.at("/withholding/output").asText()).isEqualTo("withholding_period");
        assertThat(february.at("/outputs/lohnsteuer_period/amount").asText()).isEqualTo("524.50");
        assertThat(february.at("/outputs/solidarity_surcharge_period/amount").asText()).isEqualTo("0.00");
        assertThat(february.at("/outputs/church_tax_period/amount").asText()).isEqualTo("0.00");

        // Lohnsteuer, solidarity surcharge and church tax together (tax-rules' DeLohnsteuer2026Test works the
        // figures; DeLohnsteuerPap2026Test compares them with the BMF's PAP): 10,000 a month, class I, childless,
        // one child allowance, church tax in Bavaria. Yearly 120,000: Lohnsteuer 31,593 -> 2,632.75 a month; with
        // the child allowance (9,756) ZVE 91,979 gives JBMG 27,495; surcharge min(5.5 % = 1,512.22,
        // 11.9 % × 7,145 = 850.25) = 850.25 -> 70.85 a month; church tax base 27,495 / 12 = 2,291.25, 8 % = 183.30.
        Map<String, String> becker = payroll("becker", "2026-03", "gross_wage");
        becker.put("payroll.input.tax_class", "I");
        becker.put("payroll.input.health_insurance_supplement_percent", "2.9");
        becker.put("payroll.input.childless_surcharge", "true");
        becker.put("payroll.input.child_allowances", "1");
        becker.put("payroll.input.church_tax", "BY");
        assertThat(transferWithMetadata(c, "de-becker-2026-03", "personnel-expense", "wages-payable", "10000.00",
                "EUR", becker).status()).isEqualTo(201);
        JsonNode march = awaitPrefill(c, "DE", 2026, 3, "becker", p -> true);
        assertThat(march.at("/outputs/lohnsteuer_period/amount").asText()).as(march.toString()).isEqualTo("2632.75");
        assertThat(march.at("/outputs/solidarity_surcharge_period/amount").asText()).isEqualTo("70.85");
        assertThat(march.at("/outputs/church_tax_base_period/amount").asText()).isEqualTo("2291.25");
        assertThat(march.at("/outputs/church_tax_period/amount").asText()).isEqualTo("183.30");
        assertThat(march.at("/withholding/amount").asText()).isEqualTo("2886.90");
        assertThat(march.at("/inputs/church_tax/value").asText()).isEqualTo("ChurchTax.BY");
        assertThat(march.at("/inputs/church_tax/source").asText()).contains("de-becker-2026-03");

        // a payee without a tax class: the pack cannot run, and the refusal says what to add
        assertThat(transferWithMetadata(c, "de-schmidt", "personnel-expense", "wages-payable", "3000.00", "EUR",
                payroll("schmidt", "2026-02", "gross_wage")).status()).isEqualTo(201);
        JsonNode missing = awaitProblem(c, "DE", 2026, 2, "schmidt", "payee_data_missing");
        detailMentions(missing, "tax_class", "schmidt", "payroll.input.tax_class");

        // a tax class the pack does not know
        Map<String, String> bad = payroll("weber", "2026-02", "gross_wage");
        bad.put("payroll.input.tax_class", "VII");
        assertThat(transferWithMetadata(c, "de-weber", "personnel-expense", "wages-payable", "3000.00", "EUR",
                bad).status()).isEqualTo(201);
        JsonNode invalid = awaitProblem(c, "DE", 2026, 2, "weber", "payee_data_invalid");
        detailMentions(invalid, "payroll.input.tax_class", "VII", "de-weber");

        // the pack is chosen by the pay month: December 2025 is paid under the 2025 rules (tax-rules'
        // DeLohnsteuer2025Test: 4,000 a month, class I, childless, 2.9 % -> 533.08), with its own payee inputs
        Map<String, String> december = payroll("mueller", "2025-12", "gross_wage");
        december.put("payroll.input.tax_class", "I");
        december.put("payroll.input.health_insurance_supplement_percent", "2.9");
        december.put("payroll.input.childless_surcharge", "true");
        assertThat(transferWithMetadata(c, "de-2025-12", "personnel-expense", "wages-payable", "4000.00", "EUR",
                december).status()).isEqualTo(201);
        JsonNode dec2025 = awaitPrefill(c, "DE", 2025, 12, "mueller", p -> true);
        assertThat(dec2025.at("/withholding/amount").asText()).as(dec2025.toString()).isEqualTo("533.08");
        assertExplained(dec2025, "de-lohnsteuer", "2025.1");

        // no German pack is valid in 2024
        JsonNode noPack = assertProblem(prefill(c, "DE", "2024", "2", "mueller"), 422, "tax_pack_not_found");
        detailMentions(noPack, "de-lohnsteuer", "2024-02-29");
    }

    // ---------------------------------------------------------------- Japan

    /**
     * The NTA's worked example for 令和8年 (tax-rules' JpWithholdingMonthlyKouTest): 175,000 yen after social
     * insurance with 2 dependants withholds 210 yen. Gross and social insurance come from one entry's legs.
     */
    @Test
    void japanesePayeeWithholdsFromGrossLessSocialInsurance() {
        LedgerClient c = newTenant("tax-jp");
        open(c, "salary-expense", "JPY", "EXPENSE", null);
        open(c, "salary-payable", "JPY", "LIABILITY", null);
        open(c, "social-insurance-payable", "JPY", "LIABILITY", null);
        Map<String, String> metadata = payroll("sato", "2026-04", "gross_wage");
        metadata.put("payroll.leg.social_insurance", "social-insurance-payable");
        metadata.put("payroll.input.dependants", "2");
        assertThat(entryWithMetadata(c, "jp-2026-04", metadata, "salary-expense", "debit", "200000",
                "salary-payable", "credit", "175000", "social-insurance-payable", "credit", "25000").status())
                .isEqualTo(201);
        // a posting for the payee whose payroll metadata cannot be used is shown, not silently dropped
        assertThat(transferWithMetadata(c, "jp-bonus", "salary-expense", "salary-payable", "5000", "JPY",
                payroll("sato", "2026-04", "bonus")).status()).isEqualTo(201);

        JsonNode prefill = awaitPrefill(c, "JP", 2026, 4, "sato", p -> p.get("unusablePostings").size() == 1);
        assertThat(prefill.at("/withholding/amount").asText()).as(prefill.toString()).isEqualTo("210");
        assertThat(prefill.at("/withholding/currency").asText()).isEqualTo("JPY");
        assertThat(prefill.at("/inputs/salary_after_social_insurance/amount").asText()).isEqualTo("175000");
        assertThat(prefill.at("/inputs/dependants/value").asText()).isEqualTo("2");
        assertThat(prefill.at("/months/0/gross_wage").asText()).isEqualTo("200000");
        assertThat(prefill.at("/months/0/social_insurance").asText()).isEqualTo("25000");
        assertThat(prefill.at("/unusablePostings/0/transferId").asText()).isEqualTo("jp-bonus");
        assertThat(prefill.at("/unusablePostings/0/problem").asText()).contains("unknown category \"bonus\"");
        assertExplained(prefill, "jp-withholding-monthly-kou", "R8");

        // the same payee's yen postings cannot feed a Chinese pre-fill
        JsonNode mismatch = assertProblem(prefill(c, "CN", "2026", "4", "sato"), 422, "currency_mismatch");
        detailMentions(mismatch, "CNY", "JPY in 2026-04");

        // another tenant sees nothing of this payee
        assertProblem(prefill(newTenant("tax-jp-other"), "JP", "2026", "4", "sato"), 404, "payroll_period_empty");
    }

    // ---------------------------------------------------------------- what-if evaluation

    @Test
    void evaluatesAPackOnExplicitInputsWithItsExplanation() {
        LedgerClient c = newTenant("tax-eval");
        Response cn = c.post("/v1/tax/evaluate", null, json("jurisdiction", "CN", "date", "2026-03-31",
                "inputs", ordered("months_employed", 3, "cumulative_income", "30000.00",
                        "cumulative_special_deductions", "4500.00", "cumulative_special_additional_deductions",
                        "3000.00", "tax_withheld_so_far", "150.00")));
        assertThat(cn.status()).as(cn.toString()).isEqualTo(200);
        assertThat(cn.json().at("/outputs/withholding_this_month/amount").asText()).isEqualTo("75.00");
        assertThat(cn.json().at("/outputs/cumulative_tax/amount").asText()).isEqualTo("225.00");
        assertExplained(cn.json(), "cn-iit-wages-cumulative", "2019.1");

        Response de = c.post("/v1/tax/evaluate", null, json("pack", "de-lohnsteuer", "date", "2026-01-01",
                "inputs", ordered("tax_class", "I", "wage", "50000.00", "health_insurance_supplement_percent", "2.9",
                        "childless_surcharge", true)));
        assertThat(de.status()).as(de.toString()).isEqualTo(200);
        assertThat(de.json().at("/outputs/lohnsteuer_year/amount").asText()).isEqualTo("6788.00");
        // class VI, 30,000 a year (tax-rules' DeLohnsteuer2026Test: 6,120), church tax in Berlin: 9 % = 550.80
        Response six = c.post("/v1/tax/evaluate", null, json("pack", "de-lohnsteuer", "date", "2026-01-01",
                "inputs", ordered("tax_class", "VI", "wage", "30000.00", "health_insurance_supplement_percent", "2.9",
                        "childless_surcharge", true, "church_tax", "BE")));
        assertThat(six.status()).as(six.toString()).isEqualTo(200);
        assertThat(six.json().at("/outputs/lohnsteuer_year/amount").asText()).isEqualTo("6120.00");
        assertThat(six.json().at("/outputs/church_tax_period/amount").asText()).isEqualTo("550.80");
        assertThat(six.json().at("/outputs/withholding_period/amount").asText()).isEqualTo("6670.80");

        Response jp = c.post("/v1/tax/evaluate", null, json("jurisdiction", "JP", "date", "2026-07-01",
                "inputs", ordered("salary_after_social_insurance", "175000", "dependants", "2")));
        assertThat(jp.status()).as(jp.toString()).isEqualTo(200);
        assertThat(jp.json().at("/outputs/withholding_tax/amount").asText()).isEqualTo("210");
        assertThat(jp.json().at("/pack/version").asText()).isEqualTo("R8");
    }

    @Test
    void refusesBadEvaluationsWithSpecificCodes() {
        LedgerClient c = newTenant("tax-eval-bad");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "XX", "date", "2026-01-01")), 422,
                "unknown_jurisdiction"), "XX", "CN, DE, JP");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "cn", "date", "2026-01-01")), 422,
                "unknown_jurisdiction"), "upper case");
        detailMentions(assertProblem(evaluate(c, json("pack", "fr-impot", "date", "2026-01-01")), 422,
                "tax_pack_not_found"), "fr-impot");
        detailMentions(assertProblem(evaluate(c, json("pack", "de-lohnsteuer", "date", "2024-06-30",
                "inputs", Map.of())), 422, "tax_pack_not_found"), "2024-06-30");
        assertProblem(evaluate(c, json("pack", "de-lohnsteuer", "jurisdiction", "DE", "date", "2026-01-01")), 400,
                "validation_failed");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "DE")), 400, "validation_failed"), "date");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "DE", "date", "2026-02-30")), 400,
                "validation_failed"), "2026-02-30");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "DE", "date", "2026-01-01",
                "inputs", ordered("wage", "50000.00"))), 422, "tax_input_invalid"), "missing input 'tax_class'");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "DE", "date", "2026-01-01",
                "inputs", ordered("tax_class", "I", "wage", 50000))), 422, "tax_input_invalid"),
                "inputs.wage", "decimal string");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "DE", "date", "2026-01-01",
                "inputs", ordered("tax_class", "I", "wage", "50000.00", "salary", "1"))), 422, "tax_input_invalid"),
                "no input 'salary'");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "DE", "date", "2026-01-01",
                "inputs", ordered("tax_class", "IX", "wage", "50000.00"))), 422, "tax_input_invalid"),
                "tax_class", "IX");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "CN", "date", "2026-01-01",
                "inputs", ordered("months_employed", 13, "cumulative_income", "1.00"))), 422, "tax_input_invalid"),
                "months_employed", "outside");
        detailMentions(assertProblem(evaluate(c, json("jurisdiction", "JP", "date", "2026-01-01",
                "inputs", ordered("salary_after_social_insurance", "175000.5"))), 422, "tax_input_invalid"),
                "more decimals");
        assertProblem(evaluate(c, "{\"jurisdiction\":\"CN\",\"date\":\"2026-01-01\",\"extra\":1}"), 400,
                "validation_failed");
    }

    @Test
    void refusesBadPrefillRequestsAndCallersWithoutTheRole() {
        LedgerClient c = newTenant("tax-bad");
        detailMentions(assertProblem(prefill(c, "FR", "2026", "1", "p"), 422, "unknown_jurisdiction"), "FR");
        detailMentions(assertProblem(prefill(c, null, "2026", "1", "p"), 400, "validation_failed"), "jurisdiction");
        detailMentions(assertProblem(prefill(c, "CN", "26", "1", "p"), 400, "validation_failed"), "year", "26");
        detailMentions(assertProblem(prefill(c, "CN", "2026", "13", "p"), 400, "validation_failed"), "month", "13");
        detailMentions(assertProblem(prefill(c, "CN", "2026", null, "p"), 400, "validation_failed"), "month");
        detailMentions(assertProblem(prefill(c, "CN", "2026", "1", null), 400, "validation_failed"), "payee");
        detailMentions(assertProblem(prefill(c, "CN", "2026", "1", "a%20b"), 400, "validation_failed"), "payee");

        LedgerClient payments = withRoles(c, "payments");
        assertProblem(prefill(payments, "CN", "2026", "1", "p"), 403, "forbidden");
        assertProblem(evaluate(payments, json("jurisdiction", "CN", "date", "2026-01-01")), 403, "forbidden");
        LedgerClient finance = withRoles(c, "finance");
        assertProblem(prefill(finance, "CN", "2026", "1", "p"), 404, "payroll_period_empty");
    }

    // ---------------------------------------------------------------- helpers

    private static void cnBook(LedgerClient c) {
        open(c, "salary-expense", "CNY", "EXPENSE", null);
        open(c, "wages-payable", "CNY", "LIABILITY", null);
        open(c, "social-insurance-payable", "CNY", "LIABILITY", null);
        open(c, "iit-payable", "CNY", "LIABILITY", null);
    }

    /** One month's payroll entry: gross to the payee's wages and the social insurance payable. */
    private static void postCnPayroll(LedgerClient c, String payee, String period, String gross, String social,
                                      String specialAdditional) {
        Map<String, String> metadata = payroll(payee, period, "gross_wage");
        metadata.put("payroll.leg.social_insurance", "social-insurance-payable");
        if (specialAdditional != null) {
            metadata.put("payroll.declared.special_additional_deduction", specialAdditional);
        }
        String net = new java.math.BigDecimal(gross).subtract(new java.math.BigDecimal(social)).toPlainString();
        Response posted = entryWithMetadata(c, "payroll-" + payee + "-" + period, metadata,
                "salary-expense", "debit", gross, "wages-payable", "credit", net,
                "social-insurance-payable", "credit", social);
        assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
    }

    private static Map<String, String> payroll(String payee, String period, String category) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("payroll.payee", payee);
        metadata.put("payroll.period", period);
        metadata.put("payroll.category", category);
        return metadata;
    }

    private static Response transferWithMetadata(LedgerClient c, String id, String debit, String credit,
                                                 String amount, String currency, Map<String, String> metadata) {
        return c.post("/v1/transfers", key(), json("id", id, "debitAccount", debit, "creditAccount", credit,
                "amount", amount, "currency", currency, "metadata", metadata));
    }

    /** Legs as alternating account, "debit"/"credit", amount. */
    private static Response entryWithMetadata(LedgerClient c, String id, Map<String, String> metadata,
                                              String... legs) {
        List<Map<String, String>> list = new ArrayList<>();
        for (int i = 0; i < legs.length; i += 3) {
            list.add(Map.of("account", legs[i], legs[i + 1], legs[i + 2]));
        }
        return c.post("/v1/entries", key(), json("id", id, "legs", list, "metadata", metadata));
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    private static Response evaluate(LedgerClient c, String body) {
        return c.post("/v1/tax/evaluate", null, body);
    }

    private static Response prefill(LedgerClient c, String jurisdiction, String year, String month, String payee) {
        StringBuilder query = new StringBuilder("/v1/tax/prefill?");
        if (jurisdiction != null) {
            query.append("jurisdiction=").append(jurisdiction).append('&');
        }
        if (year != null) {
            query.append("year=").append(year).append('&');
        }
        if (month != null) {
            query.append("month=").append(month).append('&');
        }
        if (payee != null) {
            query.append("payee=").append(payee);
        }
        return c.get(query.toString());
    }

    /**
     * Polls the pre-fill until it answers 200 and {@code caughtUp} holds: the read model follows the
     * event store asynchronously, so a posting shows there a moment after it was acknowledged.
     */
    private static JsonNode awaitPrefill(LedgerClient c, String jurisdiction, int year, int month, String payee,
                                         Predicate<JsonNode> caughtUp) {
        long deadline = System.nanoTime() + PROCESSOR_WAIT.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = prefill(c, jurisdiction, String.valueOf(year), String.valueOf(month), payee);
            if (last.status() == 200 && caughtUp.test(last.json())) {
                return last.json();
            }
            pause(50);
        }
        throw new AssertionError("the tax-prefill processor did not reach the postings of " + payee + " for "
                + year + "-" + month + " within " + PROCESSOR_WAIT.toSeconds() + " s; last answer: " + last);
    }

    /** Polls until the pre-fill refuses with {@code code} (the read model must first see the posting). */
    private static JsonNode awaitProblem(LedgerClient c, String jurisdiction, int year, int month, String payee,
                                         String code) {
        long deadline = System.nanoTime() + PROCESSOR_WAIT.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = prefill(c, jurisdiction, String.valueOf(year), String.valueOf(month), payee);
            if (code.equals(last.code())) {
                return assertProblem(last, last.status(), code);
            }
            pause(50);
        }
        throw new AssertionError("the pre-fill of " + payee + " did not become " + code + " within "
                + PROCESSOR_WAIT.toSeconds() + " s; last answer: " + last);
    }

    private static String input(JsonNode prefill, String name) {
        JsonNode input = prefill.path("inputs").path(name);
        return input.has("amount") ? input.get("amount").asText() : input.path("value").asText();
    }

    private static String money(long units) {
        return units + ".00";
    }

    /** The answer names the pack (name, version, SHA-256) and explains its figures for a machine and a person. */
    private static void assertExplained(JsonNode answer, String pack, String version) {
        assertThat(answer.at("/pack/name").asText()).isEqualTo(pack);
        assertThat(answer.at("/pack/version").asText()).isEqualTo(version);
        assertThat(answer.at("/pack/sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(answer.get("explanation").isArray()).isTrue();
        assertThat(answer.get("explanation")).isNotEmpty();
        assertThat(answer.at("/explanation/0/uses")).as("the first output's explanation has children").isNotEmpty();
        assertThat(answer.get("text").asText()).startsWith("pack " + pack + " " + version);
    }
}
