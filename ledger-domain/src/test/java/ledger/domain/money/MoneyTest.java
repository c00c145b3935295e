package ledger.domain.money;

import static ledger.domain.Commands.BHD;
import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ledger.domain.model.Invariants.InvariantViolation;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    private static void assertAmountInvalid(String text, CurrencyCode currency) {
        LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class,
                () -> Money.parsePositive(text, currency));
        assertThat(rejection).as("parse of %s %s", text, currency).isNotNull();
        assertThat(rejection.code()).isEqualTo(RejectionCode.AMOUNT_INVALID);
    }

    @Test
    void parsesPlainDecimalsIntoMinorUnitsOfTheCurrency() {
        assertThat(Money.parsePositive("1234.50", USD)).isEqualTo(new Money(123450, USD));
        assertThat(Money.parsePositive("12", USD)).isEqualTo(new Money(1200, USD));
        assertThat(Money.parsePositive("0.01", USD)).isEqualTo(new Money(1, USD));
        assertThat(Money.parsePositive("7", JPY)).isEqualTo(new Money(7, JPY));
        assertThat(Money.parsePositive("0.125", BHD)).isEqualTo(new Money(125, BHD));
    }

    @Test
    void rejectsMoreDecimalsThanTheCurrencyHasInsteadOfRounding() {
        assertAmountInvalid("1.001", USD);
        assertAmountInvalid("1.5", JPY);
        assertAmountInvalid("1.0", JPY);
        assertAmountInvalid("0.0001", BHD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-1", "-0.01"})
    void rejectsZeroAndNegativeAmounts(String text) {
        assertAmountInvalid(text, USD);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1e3", "1E3", "0x10", " 1", "1 ", "+1", ".5", "5.", "01", "1,000.00", "NaN",
            "Infinity", "1_000", "١"})
    void rejectsWhatIsNotAPlainDecimalString(String text) {
        assertAmountInvalid(text, USD);
    }

    @Test
    void acceptsAmountsUpToTheMaximumOnly() {
        assertThat(Money.parsePositive("9999999999999.99", USD).minor()).isEqualTo(Money.AMOUNT_MINOR_MAX);
        assertAmountInvalid("10000000000000.00", USD);
        assertThat(Money.parsePositive("999999999999999", JPY).minor()).isEqualTo(Money.AMOUNT_MINOR_MAX);
        assertAmountInvalid("1000000000000000", JPY);
        assertAmountInvalid("9".repeat(40), USD);
    }

    @Test
    void formatsWithExactlyTheCurrencyScale() {
        assertThat(new Money(5, USD).toPlainString()).isEqualTo("0.05");
        assertThat(new Money(5, JPY).toPlainString()).isEqualTo("5");
        assertThat(new Money(1500, BHD).toPlainString()).isEqualTo("1.500");
        assertThat(Money.format(-250, 2)).isEqualTo("-2.50");
    }

    @Test
    void readsStoredAmountsByTheirOwnScale() {
        assertThat(Money.minorOf("1.500")).isEqualTo(1500);
        assertThat(Money.minorOf("30.00")).isEqualTo(3000);
        assertThat(Money.minorOf("400")).isEqualTo(400);
    }

    @Test
    void addsAndSubtractsInOneCurrency() {
        assertThat(new Money(150, USD).plus(new Money(50, USD))).isEqualTo(new Money(200, USD));
        assertThat(new Money(150, USD).minus(new Money(200, USD))).isEqualTo(new Money(-50, USD));
        assertThat(new Money(1, USD).compareTo(new Money(2, USD))).isNegative();
    }

    @Test
    void arithmeticAcrossCurrenciesIsAProgrammingError() {
        assertThatThrownBy(() -> new Money(1, USD).plus(new Money(1, JPY))).isInstanceOf(InvariantViolation.class);
        assertThatThrownBy(() -> new Money(1, USD).minus(new Money(1, BHD))).isInstanceOf(InvariantViolation.class);
        assertThatThrownBy(() -> new Money(1, USD).compareTo(new Money(1, JPY)))
                .isInstanceOf(InvariantViolation.class);
        assertThatThrownBy(() -> new Money(1, null)).isInstanceOf(InvariantViolation.class);
    }

    @Test
    void overflowThrowsInsteadOfWrapping() {
        assertThatThrownBy(() -> new Money(Long.MAX_VALUE, USD).plus(new Money(1, USD)))
                .isInstanceOf(ArithmeticException.class);
    }
}
