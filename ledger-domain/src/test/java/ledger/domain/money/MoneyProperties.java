package ledger.domain.money;

import static ledger.domain.Seeded.between;
import static ledger.domain.Seeded.longIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import ledger.domain.Seeded;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.junit.jupiter.api.Test;

/** Random amounts and scales; seeds and replays as {@link Seeded} explains. */
class MoneyProperties {
    private static final int TRIES = 300;

    record Amount(long minor, int scale) {
    }

    record Pair(long a, long b) {
    }

    @Test
    void formattingAndParsingRoundTripExactly() {
        Seeded.forAll("formatting and parsing round-trip exactly", TRIES,
                r -> new Amount(longIn(r, 1, Money.AMOUNT_MINOR_MAX), between(r, 0, 6)), sample -> {
                    CurrencyCode currency = new CurrencyCode("TST", sample.scale());
                    Money money = new Money(sample.minor(), currency);

                    assertThat(Money.parsePositive(money.toPlainString(), currency)).isEqualTo(money);
                    assertThat(Money.minorOf(money.toPlainString())).isEqualTo(sample.minor());
                });
    }

    @Test
    void oneMoreDecimalIsAlwaysRejected() {
        Seeded.forAll("one more decimal is always rejected", TRIES,
                r -> new Amount(longIn(r, 1, 999_999_999L), between(r, 0, 6)), sample -> {
                    CurrencyCode currency = new CurrencyCode("TST", sample.scale());
                    String tooPrecise = BigDecimal.valueOf(sample.minor() * 10 + 1, sample.scale() + 1)
                            .toPlainString();

                    LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class,
                            () -> Money.parsePositive(tooPrecise, currency));
                    assertThat(rejection).as("parse of %s with scale %d", tooPrecise, sample.scale()).isNotNull();
                    assertThat(rejection.code()).isEqualTo(RejectionCode.AMOUNT_INVALID);
                });
    }

    @Test
    void sumsAreExact() {
        Seeded.forAll("sums are exact", TRIES, r -> new Pair(longIn(r, -Money.AMOUNT_MINOR_MAX, Money.AMOUNT_MINOR_MAX),
                longIn(r, -Money.AMOUNT_MINOR_MAX, Money.AMOUNT_MINOR_MAX)), sample -> {
                    CurrencyCode usd = Currencies.iso().resolve("USD");
                    Money a = new Money(sample.a(), usd);
                    Money b = new Money(sample.b(), usd);
                    Money sum = a.plus(b);

                    assertThat(new BigDecimal(sum.toPlainString()))
                            .isEqualTo(new BigDecimal(a.toPlainString()).add(new BigDecimal(b.toPlainString())));
                    assertThat(sum.minus(b)).isEqualTo(a);
                });
    }
}
