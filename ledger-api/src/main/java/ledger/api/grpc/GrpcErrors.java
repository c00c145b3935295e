package ledger.api.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;
import ledger.api.app.Codes;
import ledger.domain.model.RejectionCode;

/**
 * Refusals as gRPC errors: a {@code google.rpc.Status} whose {@code ErrorInfo} has domain
 * {@code "ledger"} and the REST code as its reason, so a client reads the same code on both APIs.
 *
 * <p>Which gRPC code: a request wrong in itself, whatever the ledger holds, is INVALID_ARGUMENT; a
 * refusal that depends on the ledger's state is FAILED_PRECONDITION; an unknown id is NOT_FOUND; an
 * id or idempotency key already used for something else is ALREADY_EXISTS (retrying the same request
 * cannot succeed, so not ABORTED).
 */
public final class GrpcErrors {
    public static final String DOMAIN = "ledger";
    /** The ErrorInfo metadata key naming the request's fields a refusal is about. */
    public static final String FIELDS = "fields";

    private GrpcErrors() {
    }

    /** The gRPC status code of a refusal code; every {@link RejectionCode} has one (checked by the compiler). */
    public static Status.Code statusOf(RejectionCode code) {
        return switch (code) {
            case VALIDATION_FAILED, AMOUNT_INVALID, UNKNOWN_CURRENCY -> Status.Code.INVALID_ARGUMENT;
            case INSUFFICIENT_FUNDS, CURRENCY_MISMATCH, UNBALANCED_ENTRY, ACCOUNT_FROZEN, ACCOUNT_CLOSED,
                    ACCOUNT_NOT_EMPTY, TRANSFER_NOT_PENDING, TRANSFER_EXPIRED, TRANSFER_NOT_REVERSIBLE,
                    LIMIT_BELOW_BALANCE ->
                    Status.Code.FAILED_PRECONDITION;
            case ACCOUNT_NOT_FOUND, TRANSFER_NOT_FOUND -> Status.Code.NOT_FOUND;
            case DUPLICATE_ID -> Status.Code.ALREADY_EXISTS;
        };
    }

    /** The gRPC status code of any code this API answers with. */
    public static Status.Code statusOf(String code) {
        Optional<RejectionCode> rejection = Codes.rejection(code);
        if (rejection.isPresent()) {
            return statusOf(rejection.get());
        }
        return switch (code) {
            case Codes.UNKNOWN_JURISDICTION, Codes.TAX_INPUT_INVALID -> Status.Code.INVALID_ARGUMENT;
            case Codes.TAX_PACK_NOT_FOUND, Codes.PAYROLL_PERIOD_EMPTY -> Status.Code.NOT_FOUND;
            case Codes.PAYEE_DATA_MISSING, Codes.PAYEE_DATA_INVALID, Codes.NOTHING_TO_WITHHOLD ->
                    Status.Code.FAILED_PRECONDITION;
            case Codes.IDEMPOTENCY_CONFLICT, Codes.TRANSFER_ID_CONFLICT -> Status.Code.ALREADY_EXISTS;
            case Codes.LINKED_EVENT_FAILED -> Status.Code.ABORTED;
            case Codes.UNAUTHORIZED -> Status.Code.UNAUTHENTICATED;
            case Codes.FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case Codes.NOT_FOUND, Codes.EVENT_NOT_FOUND, Codes.CHECKPOINT_NOT_FOUND, Codes.AUDIT_LOG_EMPTY ->
                    Status.Code.NOT_FOUND;
            case Codes.METHOD_NOT_ALLOWED -> Status.Code.UNIMPLEMENTED;
            case Codes.API_KEY_NOT_FOUND -> Status.Code.NOT_FOUND;
            case Codes.LAST_ADMIN_KEY -> Status.Code.FAILED_PRECONDITION;
            case Codes.TOO_MANY_STREAMS, Codes.RATE_LIMITED -> Status.Code.RESOURCE_EXHAUSTED;
            case Codes.RATE_PLAN_NOT_FOUND, Codes.TENANT_NOT_FOUND -> Status.Code.NOT_FOUND;
            case Codes.DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
            case Codes.CANCELLED -> Status.Code.CANCELLED;
            case Codes.QUOTE_NOT_FOUND, Codes.SETTLEMENT_NOT_FOUND, Codes.UPLOAD_NOT_FOUND, Codes.BREAK_NOT_FOUND -> Status.Code.NOT_FOUND;
            case Codes.BREAK_ALREADY_RESOLVED, Codes.RESOLUTION_NOT_APPLICABLE -> Status.Code.FAILED_PRECONDITION;
            case Codes.STATEMENT_MALFORMED -> Status.Code.INVALID_ARGUMENT;
            case Codes.QUOTE_EXPIRED -> Status.Code.FAILED_PRECONDITION;
            case Codes.RATE_UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case Codes.QUOTE_BOOK_FULL -> Status.Code.RESOURCE_EXHAUSTED;
            case Codes.INTERNAL_ERROR -> Status.Code.INTERNAL;
            case Codes.DATABASE_UNAVAILABLE -> Status.Code.UNAVAILABLE;
            default -> Status.Code.UNKNOWN;
        };
    }

    /** Over a rate limit: RESOURCE_EXHAUSTED with the ErrorInfo and a RetryInfo saying when to try again. */
    public static StatusRuntimeException rateLimited(String detail, long retryAfterMs) {
        ErrorInfo info = ErrorInfo.newBuilder().setReason(Codes.RATE_LIMITED).setDomain(DOMAIN).build();
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(statusOf(Codes.RATE_LIMITED).value())
                .setMessage(detail)
                .addDetails(Any.pack(info))
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(retryAfterMs / 1000).setNanos((int) (retryAfterMs % 1000) * 1_000_000)).build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    /** The error for {@code code}, with {@code detail} as the status message. */
    public static StatusRuntimeException error(String code, String detail) {
        return error(code, detail, false);
    }

    /**
     * The error for {@code code}; {@code replayed}: the refusal stored under the call's idempotency
     * key by an earlier request (ErrorInfo metadata {@code replayed: "true"}).
     */
    public static StatusRuntimeException error(String code, String detail, boolean replayed) {
        return error(code, detail, replayed, java.util.List.of());
    }

    /**
     * The error for {@code code}; {@code fields} (REST's JSON names) the request's fields it is about,
     * as ErrorInfo metadata {@code fields}: their protobuf names, comma-separated (transfer_id_conflict:
     * the fields that differ from the existing transfer, docs/retries.md).
     */
    public static StatusRuntimeException error(String code, String detail, boolean replayed,
                                               java.util.List<String> fields) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(code).setDomain(DOMAIN);
        if (replayed) {
            info.putMetadata("replayed", "true");
        }
        if (!fields.isEmpty()) {
            info.putMetadata(FIELDS, protoNames(fields));
        }
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(statusOf(code).value())
                .setMessage(detail == null ? code : detail)
                .addDetails(Any.pack(info.build()));
        if (Codes.DATABASE_UNAVAILABLE.equals(code)) {
            status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
                    com.google.protobuf.Duration.newBuilder().setSeconds(Codes.RETRY_AFTER_SECONDS)).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** REST's field names as protobuf's, comma-separated. */
    public static String protoNames(java.util.List<String> fields) {
        return String.join(",", fields.stream().map(ledger.api.app.Requests.Fields.PROTO::name).toList());
    }
}
