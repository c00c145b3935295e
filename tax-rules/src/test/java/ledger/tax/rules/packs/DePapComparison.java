package ledger.tax.rules.packs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ledger.tax.rules.Evaluation;
import ledger.tax.rules.RuleLibrary;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.Seeded;
import ledger.tax.rules.Value;

/**
 * One case for the pack {@code de-lohnsteuer} and the official PAP ({@link PapProgram}) side by side: the same
 * situation as our inputs and as the PAP's (in cents), and the figures of both.
 */
record DePapComparison(Map<String, Value> ours, Map<String, Object> pap, String description) {

    static final List<String> CLASSES = List.of("I", "II", "III", "IV", "V", "VI");
    static final List<String> CHURCH = List.of("NONE", "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW",
            "RP", "SL", "SN", "ST", "SH", "TH");

    /** A 2026 situation: wage in cents for the period, class 1..6, monthly or yearly, and the rest as generated. */
    static DePapComparison of(long wageCents, int taxClass, boolean monthly, Random random) {
        return of(2026, wageCents, taxClass, monthly, random);
    }

    /**
     * A situation of {@code year}: 2026 has unemployment insurance (ALV) and the employer's subsidy to private
     * insurance as an amount (PKPVAGZ); 2025 has neither, but private insurance with or without a subsidy (PKV 2 or 1).
     */
    static DePapComparison of(int year, long wageCents, int taxClass, boolean monthly, Random random) {
        Map<String, Value> ours = new HashMap<>();
        Map<String, Object> pap = new HashMap<>();
        ours.put("tax_class", Value.enumValue("TaxClass", CLASSES.get(taxClass - 1)));
        pap.put("STKL", taxClass);
        ours.put("pay_period", Value.enumValue("PayPeriod", monthly ? "MONTH" : "YEAR"));
        pap.put("LZZ", monthly ? 2 : 1);
        ours.put("wage", Value.money(BigDecimal.valueOf(wageCents, 2), "EUR"));
        pap.put("RE4", BigDecimal.valueOf(wageCents));
        BigDecimal kvz = BigDecimal.valueOf(random.nextInt(401), 2);          // 0.00 .. 4.00 %
        ours.put("health_insurance_supplement_percent", Value.decimal(kvz.toPlainString()));
        pap.put("KVZ", kvz);
        boolean pension = random.nextInt(10) > 0;
        ours.put("pension_insured", Value.bool(pension));
        pap.put("KRV", pension ? 0 : 1);
        if (year >= 2026) {
            boolean unemployment = random.nextInt(10) > 0;
            ours.put("unemployment_insured", Value.bool(unemployment));
            pap.put("ALV", unemployment ? 0 : 1);
        }
        boolean privateHealth = random.nextInt(5) == 0;
        ours.put("private_health", Value.bool(privateHealth));
        pap.put("PKV", privateHealth ? 1 : 0);
        if (privateHealth) {
            long premium = Seeded.upTo(random, 150_000);
            ours.put("private_premium_monthly", Value.money(BigDecimal.valueOf(premium, 2), "EUR"));
            pap.put("PKPV", BigDecimal.valueOf(premium));
            if (year >= 2026) {
                long subsidy = Seeded.upTo(random, premium);
                ours.put("employer_subsidy_monthly", Value.money(BigDecimal.valueOf(subsidy, 2), "EUR"));
                pap.put("PKPVAGZ", BigDecimal.valueOf(subsidy));
            } else {
                boolean subsidy = random.nextBoolean();
                ours.put("employer_subsidy", Value.bool(subsidy));
                pap.put("PKV", subsidy ? 2 : 1);
            }
        }
        boolean saxony = random.nextInt(6) == 0;
        ours.put("care_insurance_saxony", Value.bool(saxony));
        pap.put("PVS", saxony ? 1 : 0);
        boolean childless = random.nextBoolean();
        ours.put("childless_surcharge", Value.bool(childless));
        pap.put("PVZ", childless ? 1 : 0);
        int reduction = childless ? 0 : random.nextInt(5);
        ours.put("children_for_care_reduction", Value.integer(reduction));
        pap.put("PVA", BigDecimal.valueOf(reduction));
        BigDecimal zkf = taxClass <= 4 && random.nextBoolean()
                ? BigDecimal.valueOf(random.nextInt(9), 1).multiply(BigDecimal.valueOf(5)).stripTrailingZeros()
                : BigDecimal.ZERO;                                                  // 0, 0.5, 1.0 … 4.0
        ours.put("child_allowances", Value.decimal(zkf.toPlainString()));
        pap.put("ZKF", zkf);
        String church = CHURCH.get(random.nextInt(CHURCH.size()));
        ours.put("church_tax", Value.enumValue("ChurchTax", church));
        pap.put("R", church.equals("NONE") ? 0 : 1);
        return new DePapComparison(ours, pap, year + ", class " + CLASSES.get(taxClass - 1) + (monthly ? ", month " : ", year ")
                + BigDecimal.valueOf(wageCents, 2) + " EUR, " + pap);
    }

    /** Our pack's figures and the PAP's, both in cents, compared field by field. */
    void assertSame(RulePack pack, PapProgram program) {
        Evaluation e = pack.evaluate(ours);
        Map<String, Object> result = program.run(pap);
        assertThat(cents(e, "lohnsteuer_period")).as("LSTLZZ, %s", description)
                .isEqualByComparingTo(PapProgram.cents(result, "LSTLZZ"));
        assertThat(cents(e, "solidarity_surcharge_period")).as("SOLZLZZ, %s", description)
                .isEqualByComparingTo(PapProgram.cents(result, "SOLZLZZ"));
        assertThat(cents(e, "church_tax_base_period")).as("BK, %s", description)
                .isEqualByComparingTo(PapProgram.cents(result, "BK"));
    }

    static BigDecimal cents(Evaluation e, String output) {
        return e.amount(output).movePointRight(2);
    }

    static RulePack pack(LocalDate payDate) {
        return RuleLibrary.fromClasspath().find("de-lohnsteuer", payDate);
    }

    static PapProgram program(String file, Path workDir) throws Exception {
        return PapProgram.compile(PapProgram.locate(file), workDir);
    }
}
