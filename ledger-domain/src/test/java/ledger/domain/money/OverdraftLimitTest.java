package ledger.domain.money;

import static ledger.domain.Commands.BHD;
import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.junit.jupiter.api.Test;

class OverdraftLimitTest {

    @Test
    void absentOrZeroMeansNoOverdraft() {
        assertThat(OverdraftLimit.parse(null, USD)).isEqualTo(OverdraftLimit.none());
        assertThat(OverdraftLimit.parse("0", USD)).isEqualTo(OverdraftLimit.none());
        assertThat(OverdraftLimit.parse("0.00", USD)).isEqualTo(OverdraftLimit.none());
        assertThat(OverdraftLimit.parse("0.000", BHD)).isEqualTo(OverdraftLimit.none());
    }

    @Test
    void parsesALimitInTheCurrencyScale() {
        assertThat(OverdraftLimit.parse("50.00", USD)).isEqualTo(new OverdraftLimit(false, 5000));
        assertThat(OverdraftLimit.parse("1000", JPY)).isEqualTo(new OverdraftLimit(false, 1000));
        assertThat(OverdraftLimit.parse(OverdraftLimit.UNLIMITED, USD)).isEqualTo(OverdraftLimit.unlimitedLimit());
    }

    @Test
    void rejectsALimitThatIsNotAnAmountOfTheCurrency() {
        for (String text : new String[] {"0.000", "1.001", "-5.00", "lots", "1e3"}) {
            LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class,
                    () -> OverdraftLimit.parse(text, USD));
            assertThat(rejection).as(text).isNotNull();
            assertThat(rejection.code()).isEqualTo(RejectionCode.AMOUNT_INVALID);
        }
        assertThat(catchThrowableOfType(LedgerRejection.class, () -> OverdraftLimit.parse("0.0", JPY)).code())
                .isEqualTo(RejectionCode.AMOUNT_INVALID);
    }

    @Test
    void allowsABalanceDownToMinusTheLimit() {
        OverdraftLimit fifty = new OverdraftLimit(false, 5000);

        assertThat(fifty.allows(-5000)).isTrue();
        assertThat(fifty.allows(-5001)).isFalse();
        assertThat(OverdraftLimit.none().allows(0)).isTrue();
        assertThat(OverdraftLimit.none().allows(-1)).isFalse();
        assertThat(OverdraftLimit.unlimitedLimit().allows(Long.MIN_VALUE)).isTrue();
    }

    @Test
    void survivesItsStoredForm() {
        for (OverdraftLimit limit : new OverdraftLimit[] {OverdraftLimit.none(), OverdraftLimit.unlimitedLimit(),
                new OverdraftLimit(false, 5250)}) {
            assertThat(OverdraftLimit.fromWire(limit.toWire(BHD))).isEqualTo(limit);
        }
        assertThat(new OverdraftLimit(false, 5250).toWire(BHD)).isEqualTo("5.250");
    }
}
