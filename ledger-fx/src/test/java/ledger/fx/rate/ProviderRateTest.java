package ledger.fx.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import ledger.domain.model.Invariants.InvariantViolation;
import ledger.domain.money.Currencies;
import org.junit.jupiter.api.Test;

/** docs/fx.md, "Rates". */
class ProviderRateTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyPair EUR_USD = new CurrencyPair(ISO.resolve("EUR"), ISO.resolve("USD"));

    @Test
    void midIsTheHalfSumToTwelveDigitsHalfEven() {
        assertThat(rate("1.0790", "1.0810").mid()).isEqualTo("1.0800");
        // (1.00000000001 + 1.00000000002) / 2 = 1.000000000015 → 1.00000000002 (tie to even)
        assertThat(rate("1.00000000001", "1.00000000002").mid()).isEqualTo("1.00000000002");
        assertThat(rate("1.0790", "1.0810").relativeSpread()).isEqualTo("0.00185185185185");
    }

    @Test
    void inverseRoundsOutwardSoTheSpreadNeverNarrows() {
        ProviderRate inverse = rate("1.0790", "1.0810").inverse();

        assertThat(inverse.pair()).isEqualTo(EUR_USD.inverse());
        assertThat(inverse.bid()).isEqualTo("0.925069380203"); // 1/1.0810 = 0.92506938020351..., down
        assertThat(inverse.ask()).isEqualTo("0.926784059315"); // 1/1.0790 = 0.92678405931417..., up
        assertThat(inverse.bid().multiply(new BigDecimal("1.0810"))).isLessThanOrEqualTo(BigDecimal.ONE);
        assertThat(inverse.ask().multiply(new BigDecimal("1.0790"))).isGreaterThanOrEqualTo(BigDecimal.ONE);
    }

    @Test
    void inverseOfAReferenceRateIsAReferenceRateByRuleCross() {
        ProviderRate inverse = rate("1.0772", "1.0772").inverse();

        assertThat(inverse.bid()).isEqualTo("0.928332714445").isEqualTo(inverse.ask());
    }

    @Test
    void namesWhatIsWrongWithARate() {
        assertThat(ProviderRate.problem(dec("0"), dec("1"))).contains("bid 0 is not positive");
        assertThat(ProviderRate.problem(dec("1"), dec("1.0000000000001")))
                .contains("ask 1.0000000000001 has 14 significant digits, at most 12 are allowed");
        assertThat(ProviderRate.problem(dec("2"), dec("1"))).contains("ask 1 is below bid 2");
        assertThat(ProviderRate.problem(dec("1E+13"), dec("1E+13"))).contains("bid 10000000000000 is outside 0.000000000001 .. 1000000000000");
        assertThat(ProviderRate.problem(dec("154.100000000000000"), dec("154.3"))).isEmpty(); // trailing zeros are not digits
    }

    @Test
    void aRateThatWasNotCheckedIsAProgrammingError() {
        assertThatThrownBy(() -> rate("2", "1")).isInstanceOf(InvariantViolation.class);
    }

    private static ProviderRate rate(String bid, String ask) {
        return new ProviderRate("p", EUR_USD, dec(bid), dec(ask), Instant.EPOCH);
    }

    private static BigDecimal dec(String text) {
        return new BigDecimal(text);
    }
}
