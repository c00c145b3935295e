package ledger.tax.rules.packs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Random;

import ledger.tax.rules.RulePack;
import ledger.tax.rules.Seeded;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tax/de/de-lohnsteuer-2026.rules against the BMF's PAP 2026 itself (shared/samples/tax/de-pap/Lohnsteuer2026.xml,
 * run by {@link PapProgram}; skipped, saying so, where the file is absent): Lohnsteuer (LSTLZZ), solidarity
 * surcharge (SOLZLZZ) and church tax base (BK) to the cent, for seeded situations over every class, yearly and
 * monthly pay, insurance variants, child allowances and church tax, and at the amounts where the rules change.
 */
class DeLohnsteuerPap2026Test {

    @TempDir
    static Path work;
    static PapProgram pap;
    static RulePack pack;

    @BeforeAll
    static void compile() throws Exception {
        pap = DePapComparison.program("Lohnsteuer2026.xml", work);
        pack = DePapComparison.pack(LocalDate.of(2026, 7, 31));
        assertThat(pap.name()).isEqualTo("Lohnsteuer2026");
    }

    @Test
    void seededSituationsOfEveryClassAgreeToTheCent() {
        Seeded.run("de-lohnsteuer 2026 = PAP 2026", 3_000, random -> {
            boolean monthly = random.nextBoolean();
            long yearlyCents = wage(random);
            DePapComparison.of(monthly ? yearlyCents / 12 : yearlyCents, 1 + random.nextInt(6), monthly, random)
                    .assertSame(pack, pap);
        });
    }

    /**
     * Around the PAP's own thresholds, in yearly wage: the class V/VI points W1STKL5, W2STKL5, W3STKL5 and the
     * solidarity surcharge's exemption and mitigation zone (reached near 70,000 to 130,000 EUR in class I and twice
     * that in class III), each approached euro by euro over a stretch of wages.
     */
    @ParameterizedTest(name = "every euro from {0} EUR")
    @ValueSource(longs = {14_000, 20_000, 34_900, 40_000, 80_000, 95_000, 110_000, 125_000, 190_000, 222_200, 250_000})
    void aStretchOfWagesEuroByEuroAgrees(long fromEuro) {
        Random random = new Random(fromEuro);
        for (long euro = fromEuro; euro < fromEuro + 200; euro++) {
            for (int taxClass = 1; taxClass <= 6; taxClass++) {
                DePapComparison.of(euro * 100 + random.nextInt(100), taxClass, false, random).assertSame(pack, pap);
            }
        }
    }

    private static long wage(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Seeded.upTo(random, 3_000_000);            // up to 30,000 EUR
            case 1 -> Seeded.upTo(random, 15_000_000);           // up to 150,000 EUR
            case 2 -> 5_000_000 + Seeded.upTo(random, 20_000_000);
            default -> Seeded.upTo(random, 60_000_000);          // up to 600,000 EUR
        };
    }

    @Test
    void theComparisonIsNotVacuous() {
        // The PAP gives a surcharge and a church tax base for a high wage with church tax: the fields compared are
        // filled, not zero on both sides.
        DePapComparison c = DePapComparison.of(15_000_000, 1, false, new Random(1));
        c.ours().put("church_tax", ledger.tax.rules.Value.enumValue("ChurchTax", "BY"));
        c.pap().put("R", 1);
        var result = pap.run(c.pap());
        assertThat(PapProgram.cents(result, "SOLZLZZ")).isGreaterThan(BigDecimal.ZERO);
        assertThat(PapProgram.cents(result, "BK")).isGreaterThan(BigDecimal.ZERO);
        c.assertSame(pack, pap);
    }
}
