package ledger.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    private static void assertValidationFailed(Executable construction) {
        LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class, construction::execute);
        assertThat(rejection).isNotNull();
        assertThat(rejection.code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a/b", "-lead", ".lead", "has space", "ünïcode", "a\nb", "x#y"})
    void rejectsBadClientIds(String id) {
        assertValidationFailed(() -> AccountId.of(id));
        assertValidationFailed(() -> TransferId.of(id));
    }

    @Test
    void clientIdsHaveAtMost128Characters() {
        assertThat(AccountId.of("a".repeat(128)).value()).hasSize(128);
        assertValidationFailed(() -> AccountId.of("a".repeat(129)));
        assertValidationFailed(() -> TransferId.of("t".repeat(129)));
    }

    @Test
    void acceptsTheDocumentedCharacters() {
        assertThat(AccountId.of("Acc_1.x:y@z-9").value()).isEqualTo("Acc_1.x:y@z-9");
        assertThat(TransferId.of("0").value()).isEqualTo("0");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Acme", "acme/x", "-acme", "_acme", "ac me", "acme.io"})
    void rejectsBadTenantIds(String tenant) {
        assertValidationFailed(() -> TenantId.of(tenant));
    }

    @Test
    void tenantIdsHaveAtMost63Characters() {
        assertThat(TenantId.of("t".repeat(63)).value()).hasSize(63);
        assertValidationFailed(() -> TenantId.of("t".repeat(64)));
    }

    @Test
    void aggregateIdsNameTenantTypeAndId() {
        assertThat(AggregateIds.account(TenantId.of("acme"), AccountId.of("cash"))).isEqualTo("acme/account/cash");
        assertThat(AggregateIds.transfer(TenantId.of("acme"), TransferId.of("t1"))).isEqualTo("acme/transfer/t1");
    }

    @Test
    void rejectsAnUnknownAccountKind() {
        assertThat(AccountKind.parse("LIABILITY")).isEqualTo(AccountKind.LIABILITY);
        assertValidationFailed(() -> AccountKind.parse("liability"));
        assertValidationFailed(() -> AccountKind.parse(null));
    }

    @Test
    void kindsDecideTheNormalSide() {
        assertThat(AccountKind.ASSET.normalSide()).isEqualTo(Side.DEBIT);
        assertThat(AccountKind.EXPENSE.normalSide()).isEqualTo(Side.DEBIT);
        assertThat(AccountKind.LIABILITY.normalSide()).isEqualTo(Side.CREDIT);
        assertThat(AccountKind.EQUITY.normalSide()).isEqualTo(Side.CREDIT);
        assertThat(AccountKind.REVENUE.normalSide()).isEqualTo(Side.CREDIT);
    }

    @Test
    void rejectionCodesKeepTheirWireNames() {
        assertThat(RejectionCode.INSUFFICIENT_FUNDS.code()).isEqualTo("insufficient_funds");
        for (RejectionCode code : RejectionCode.values()) {
            assertThat(code.code()).isEqualTo(code.name().toLowerCase());
        }
    }
}
