package ledger.fx.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import org.junit.jupiter.api.Test;

/** docs/fx.md, "Amount tiers". */
class AmountTiersTest {
    private static final Currencies ISO = Currencies.iso();
    private static final CurrencyCode USD = ISO.resolve("USD");
    private static final CurrencyCode BHD = ISO.resolve("BHD");
    private static final CurrencyCode EUR = ISO.resolve("EUR");

    private final AmountTiers tiers = AmountTiers.of(List.of(
            AmountTiers.Tier.of("small", List.of("retail")),
            AmountTiers.Tier.of("medium", List.of("dealer", "retail")).from(USD, "1000.00"),
            AmountTiers.Tier.of("large", List.of("wholesale")).from(USD, "100000").from(BHD, "40000.000")));

    @Test
    void placesAnAmountInTheLastTierWhoseThresholdItReachesInItsOwnCurrency() {
        assertThat(tiers.tierFor(Money.parsePositive("999.99", USD)).name()).isEqualTo("small");
        assertThat(tiers.tierFor(Money.parsePositive("1000.00", USD)).name()).isEqualTo("medium");
        assertThat(tiers.tierFor(Money.parsePositive("100000", USD)).name()).isEqualTo("large");
        // BHD names no medium threshold: below the large one it stays small
        assertThat(tiers.tierFor(Money.parsePositive("39999.999", BHD)).name()).isEqualTo("small");
        assertThat(tiers.tierFor(Money.parsePositive("40000", BHD)).name()).isEqualTo("large");
        assertThat(tiers.tierFor(Money.parsePositive("9999999", EUR)).name()).isEqualTo("small");
    }

    @Test
    void refusesTiersThatCannotBeOrdered() {
        assertThatThrownBy(() -> AmountTiers.of(List.of(AmountTiers.Tier.of("a", List.of("p")).from(USD, "1"))))
                .hasMessage("amount tiers: the first tier \"a\" takes every amount and has no threshold");
        assertThatThrownBy(() -> AmountTiers.of(List.of(AmountTiers.Tier.of("a", List.of("p")),
                AmountTiers.Tier.of("b", List.of("p")).from(USD, "100"), AmountTiers.Tier.of("c", List.of("p")).from(USD, "100"))))
                .hasMessage("amount tiers: \"c\" starts at 100 USD, which must be above zero and above the previous tier's threshold");
        assertThatThrownBy(() -> AmountTiers.of(List.of(AmountTiers.Tier.of("a", List.of()))))
                .hasMessage("amount tiers: \"a\" names no provider");
        assertThatThrownBy(() -> AmountTiers.of(List.of(AmountTiers.Tier.of("a", List.of("p")), AmountTiers.Tier.of("a", List.of("q")))))
                .hasMessage("amount tiers: \"a\" is named twice");
    }
}
