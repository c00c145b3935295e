package ledger.domain.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CurrenciesTest {

    @Test
    void takesEachScaleFromIso4217() {
        assertThat(Currencies.iso().resolve("USD")).isEqualTo(new CurrencyCode("USD", 2));
        assertThat(Currencies.iso().resolve("JPY")).isEqualTo(new CurrencyCode("JPY", 0));
        assertThat(Currencies.iso().resolve("BHD")).isEqualTo(new CurrencyCode("BHD", 3));
        assertThat(Currencies.iso().resolve("EUR")).isEqualTo(new CurrencyCode("EUR", 2));
    }

    /** XAU and XXX are ISO codes without a minor unit: not money here. */
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"XYZ", "usd", "US", "XAU", "XXX", "USDC"})
    void rejectsAnUnknownCurrency(String code) {
        LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class, () -> Currencies.iso().resolve(code));

        assertThat(rejection).isNotNull();
        assertThat(rejection.code()).isEqualTo(RejectionCode.UNKNOWN_CURRENCY);
        assertThat(Currencies.iso().find(code)).isEmpty();
    }

    @Test
    void configuredAssetsExtendTheTable() {
        Currencies withUsdc = Currencies.withAssets(Map.of("USDC", 6));

        assertThat(withUsdc.resolve("USDC")).isEqualTo(new CurrencyCode("USDC", 6));
        assertThat(withUsdc.resolve("USD").scale()).isEqualTo(2);
        assertThat(Currencies.iso().find("USDC")).isEmpty();
    }

    @Test
    void anAssetMayNotChangeAnIsoScale() {
        assertThatThrownBy(() -> Currencies.withAssets(Map.of("USD", 6))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Currencies.withAssets(Map.of("USD", 2)).resolve("USD").scale()).isEqualTo(2);
    }
}
