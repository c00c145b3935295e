package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import ledger.api.app.Codes;
import ledger.domain.model.RejectionCode;
import org.junit.jupiter.api.Test;

/** The documented mapping of refusal codes to gRPC status codes (README, "gRPC"). */
class GrpcErrorsTest {

    @Test
    void everyRefusalCodeHasItsDocumentedStatus() {
        Map<String, Status.Code> documented = Map.ofEntries(
                Map.entry("validation_failed", Status.Code.INVALID_ARGUMENT),
                Map.entry("amount_invalid", Status.Code.INVALID_ARGUMENT),
                Map.entry("unknown_currency", Status.Code.INVALID_ARGUMENT),
                Map.entry("unbalanced_entry", Status.Code.FAILED_PRECONDITION),
                Map.entry("currency_mismatch", Status.Code.FAILED_PRECONDITION),
                Map.entry("insufficient_funds", Status.Code.FAILED_PRECONDITION),
                Map.entry("account_frozen", Status.Code.FAILED_PRECONDITION),
                Map.entry("account_closed", Status.Code.FAILED_PRECONDITION),
                Map.entry("account_not_empty", Status.Code.FAILED_PRECONDITION),
                Map.entry("transfer_not_pending", Status.Code.FAILED_PRECONDITION),
                Map.entry("transfer_expired", Status.Code.FAILED_PRECONDITION),
                Map.entry("transfer_not_reversible", Status.Code.FAILED_PRECONDITION),
                Map.entry("limit_below_balance", Status.Code.FAILED_PRECONDITION),
                Map.entry("transfer_id_conflict", Status.Code.ALREADY_EXISTS),
                Map.entry("account_not_found", Status.Code.NOT_FOUND),
                Map.entry("transfer_not_found", Status.Code.NOT_FOUND),
                Map.entry("duplicate_id", Status.Code.ALREADY_EXISTS),
                Map.entry("idempotency_conflict", Status.Code.ALREADY_EXISTS),
                Map.entry("linked_event_failed", Status.Code.ABORTED),
                Map.entry("unauthorized", Status.Code.UNAUTHENTICATED),
                Map.entry("forbidden", Status.Code.PERMISSION_DENIED),
                Map.entry("deadline_exceeded", Status.Code.DEADLINE_EXCEEDED),
                Map.entry("internal_error", Status.Code.INTERNAL),
                Map.entry("unknown_jurisdiction", Status.Code.INVALID_ARGUMENT),
                Map.entry("tax_input_invalid", Status.Code.INVALID_ARGUMENT),
                Map.entry("tax_pack_not_found", Status.Code.NOT_FOUND),
                Map.entry("payroll_period_empty", Status.Code.NOT_FOUND),
                Map.entry("payee_data_missing", Status.Code.FAILED_PRECONDITION),
                Map.entry("payee_data_invalid", Status.Code.FAILED_PRECONDITION),
                Map.entry("nothing_to_withhold", Status.Code.FAILED_PRECONDITION));
        for (RejectionCode code : RejectionCode.values()) {
            assertThat(documented).as("documented: " + code).containsKey(code.code());
        }
        documented.forEach((code, status) -> assertThat(GrpcErrors.statusOf(code)).as(code).isEqualTo(status));
    }

    /**
     * Every code of {@link Codes} (read from the class, so a code added later is covered too) has a gRPC status of
     * its own: none falls through to UNKNOWN, and only internal_error is INTERNAL.
     */
    @Test
    void everyCodeOfTheApiHasAStatusOtherThanUnknown() throws IllegalAccessException {
        int count = 0;
        for (Field field : Codes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String code = (String) field.get(null);
                assertThat(GrpcErrors.statusOf(code)).as(code).isNotEqualTo(Status.Code.UNKNOWN);
                if (!code.equals(Codes.INTERNAL_ERROR)) {
                    assertThat(GrpcErrors.statusOf(code)).as(code).isNotEqualTo(Status.Code.INTERNAL);
                }
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(26);
    }

    @Test
    void aTaxRefusalCarriesItsCodeAndStatus() throws Exception {
        StatusRuntimeException error = GrpcErrors.error(Codes.PAYEE_DATA_MISSING, "add payroll.input.tax_class");
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        ErrorInfo info = StatusProto.fromThrowable(error).getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("payee_data_missing");
    }

    @Test
    void anErrorCarriesItsCodeAsTheErrorInfoReason() throws Exception {
        StatusRuntimeException error = GrpcErrors.error("insufficient_funds", "account wallet has 1.00 EUR", true);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(error.getStatus().getDescription()).isEqualTo("account wallet has 1.00 EUR");
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("insufficient_funds");
        assertThat(info.getDomain()).isEqualTo("ledger");
        assertThat(info.getMetadataMap()).containsEntry("replayed", "true");
    }
}
