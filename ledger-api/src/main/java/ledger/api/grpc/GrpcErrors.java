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

    private GrpcErrors() {
    }

    /** The gRPC status code of a refusal code; every {@link RejectionCode} has one (checked by the compiler). */
    public static Status.Code statusOf(RejectionCode code) {
        return switch (code) {
            case VALIDATION_FAILED, AMOUNT_INVALID, UNKNOWN_CURRENCY -> Status.Code.INVALID_ARGUMENT;
            case INSUFFICIENT_FUNDS, CURRENCY_MISMATCH, UNBALANCED_ENTRY, ACCOUNT_FROZEN, ACCOUNT_CLOSED,
                    ACCOUNT_NOT_EMPTY, TRANSFER_NOT_PENDING, TRANSFER_EXPIRED -> Status.Code.FAILED_PRECONDITION;
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
            case Codes.IDEMPOTENCY_CONFLICT -> Status.Code.ALREADY_EXISTS;
            case Codes.LINKED_EVENT_FAILED -> Status.Code.ABORTED;
            case Codes.UNAUTHORIZED -> Status.Code.UNAUTHENTICATED;
            case Codes.FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case Codes.NOT_FOUND, Codes.EVENT_NOT_FOUND, Codes.CHECKPOINT_NOT_FOUND, Codes.AUDIT_LOG_EMPTY ->
                    Status.Code.NOT_FOUND;
            case Codes.METHOD_NOT_ALLOWED -> Status.Code.UNIMPLEMENTED;
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

    /** The error for {@code code}, with {@code detail} as the status message. */
    public static StatusRuntimeException error(String code, String detail) {
        return error(code, detail, false);
    }

    /**
     * The error for {@code code}; {@code replayed}: the refusal stored under the call's idempotency
     * key by an earlier request (ErrorInfo metadata {@code replayed: "true"}).
     */
    public static StatusRuntimeException error(String code, String detail, boolean replayed) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(code).setDomain(DOMAIN);
        if (replayed) {
            info.putMetadata("replayed", "true");
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
}
