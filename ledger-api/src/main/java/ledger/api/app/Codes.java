package ledger.api.app;

import java.util.Arrays;
import java.util.Optional;
import ledger.domain.model.RejectionCode;

/**
 * The stable refusal codes the API answers with, whatever the transport: the domain's
 * {@link RejectionCode}s and the codes of the API layer itself. REST puts the code in the problem
 * document's {@code code}, gRPC in the {@code ErrorInfo} reason; each transport maps a code to its
 * own status in one place ({@code web.Problems#statusOf}, {@code grpc.GrpcErrors#statusOf}).
 */
public final class Codes {
    public static final String VALIDATION_FAILED = RejectionCode.VALIDATION_FAILED.code();
    public static final String IDEMPOTENCY_CONFLICT = "idempotency_conflict";
    /**
     * A transfer or entry with the request's id exists with other content (docs/retries.md): the
     * refusal names the differing fields ({@code fields}). With the same content it is answered as
     * the existing transfer instead.
     */
    public static final String TRANSFER_ID_CONFLICT = "transfer_id_conflict";
    /** A transfer of a linked chain that was not applied because another transfer of the chain was refused. */
    public static final String LINKED_EVENT_FAILED = "linked_event_failed";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String EVENT_NOT_FOUND = "event_not_found";
    public static final String CHECKPOINT_NOT_FOUND = "checkpoint_not_found";
    public static final String AUDIT_LOG_EMPTY = "audit_log_empty";
    /** The caller's deadline passed before the command was sent; nothing was done. */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
    /** The caller cancelled before the command was sent; nothing was done. */
    public static final String CANCELLED = "cancelled";
    public static final String INTERNAL_ERROR = "internal_error";
    /** FX (docs/settlement.md): no provider gave a usable rate for the pair. */
    public static final String RATE_UNAVAILABLE = "rate_unavailable";
    public static final String QUOTE_NOT_FOUND = "quote_not_found";
    /** The quote's lock ended before it was used. */
    public static final String QUOTE_EXPIRED = "quote_expired";
    /** Too many quotes are locked at once: try again shortly. */
    public static final String QUOTE_BOOK_FULL = "quote_book_full";
    public static final String SETTLEMENT_NOT_FOUND = "settlement_not_found";
    /**
     * The database could not be reached; send the request again (with the same idempotency key: it
     * is applied at most once). REST 503 with Retry-After, gRPC UNAVAILABLE.
     */
    public static final String DATABASE_UNAVAILABLE = "database_unavailable";
    /** Seconds a client should wait before sending again after {@link #DATABASE_UNAVAILABLE}. */
    public static final int RETRY_AFTER_SECONDS = 2;

    // Tax pre-fill (ledger.api.tax, docs/tax-prefill.md)
    /** The jurisdiction is not one the pre-fill knows (CN, DE, JP). */
    public static final String UNKNOWN_JURISDICTION = "unknown_jurisdiction";
    /** No rule pack of that name, or no version of it valid on the date asked for. */
    public static final String TAX_PACK_NOT_FOUND = "tax_pack_not_found";
    /** A rule pack refused the inputs of an evaluation: unknown, missing, ill-typed or out of range. */
    public static final String TAX_INPUT_INVALID = "tax_input_invalid";
    /** The pack needs a payee input (payroll.input.*) that no posting of the payee has given. */
    public static final String PAYEE_DATA_MISSING = "payee_data_missing";
    /** A payee input given by a posting (payroll.input.*) is not a value of the pack's input type. */
    public static final String PAYEE_DATA_INVALID = "payee_data_invalid";
    /** The payee has no gross wage posted for the period. */
    public static final String PAYROLL_PERIOD_EMPTY = "payroll_period_empty";
    /** The pre-filled withholding is zero: there is nothing to post. */
    public static final String NOTHING_TO_WITHHOLD = "nothing_to_withhold";

    // Keys, change feed and rate limits (issue 14; README "Keys", "Change feed", "Rate limits")
    /** No API key of that id in the caller's tenant. */
    public static final String API_KEY_NOT_FOUND = "api_key_not_found";
    /** The key is the tenant's last active admin key: revoking it would leave nobody to manage keys. */
    public static final String LAST_ADMIN_KEY = "last_admin_key";

    /** Too many change-feed streams are open for the key, the tenant or the node. */
    public static final String TOO_MANY_STREAMS = "too_many_streams";

    /** Over the API key's or the tenant's rate limit: REST 429 with Retry-After, gRPC RESOURCE_EXHAUSTED with RetryInfo. */
    public static final String RATE_LIMITED = "rate_limited";
    public static final String RATE_PLAN_NOT_FOUND = "rate_plan_not_found";
    public static final String TENANT_NOT_FOUND = "tenant_not_found";

    // Reconciliation (ledger.api.reconciliation, docs/reconciliation.md)
    /** An uploaded statement or report does not fit its format; the detail names the line or element and why. */
    public static final String STATEMENT_MALFORMED = "statement_malformed";
    public static final String UPLOAD_NOT_FOUND = "upload_not_found";
    public static final String BREAK_NOT_FOUND = "break_not_found";
    /** The break was resolved before; the detail names how. */
    public static final String BREAK_ALREADY_RESOLVED = "break_already_resolved";
    /** adjust or write_off cannot be worked out for this break (ambiguous, currency mismatch, nothing booked). */
    public static final String RESOLUTION_NOT_APPLICABLE = "resolution_not_applicable";

    private Codes() {
    }

    /**
     * Every stable code, sorted: the domain's rejection codes and the constants above (the
     * {@code code} enum of the REST problem document, docs/api-contract.md).
     */
    public static java.util.SortedSet<String> all() {
        java.util.SortedSet<String> codes = new java.util.TreeSet<>();
        Arrays.stream(RejectionCode.values()).map(RejectionCode::code).forEach(codes::add);
        for (java.lang.reflect.Field field : Codes.class.getFields()) {
            int modifiers = field.getModifiers();
            if (field.getType() == String.class && java.lang.reflect.Modifier.isStatic(modifiers)
                    && java.lang.reflect.Modifier.isFinal(modifiers)) {
                try {
                    codes.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return java.util.Collections.unmodifiableSortedSet(codes);
    }

    /** The domain's rejection with this code, if it is one. */
    public static Optional<RejectionCode> rejection(String code) {
        return Arrays.stream(RejectionCode.values()).filter(c -> c.code().equals(code)).findFirst();
    }
}
