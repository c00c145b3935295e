package ledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * RFC 9457 problem details with a stable {@code code}: one rendering for every refusal, so a
 * replayed refusal is byte-for-byte the first one.
 */
@Component
public class Problems {
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String TYPE_BASE = "https://ledger.invalid/problems/";

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    /** The HTTP status of any code the API answers with ({@link Codes}); every code has one. */
    public static HttpStatus statusOf(String code) {
        Optional<RejectionCode> rejection = Codes.rejection(code);
        if (rejection.isPresent()) {
            return statusOf(rejection.get());
        }
        return switch (code) {
            case Codes.UNKNOWN_JURISDICTION, Codes.TAX_PACK_NOT_FOUND, Codes.TAX_INPUT_INVALID,
                    Codes.PAYEE_DATA_MISSING, Codes.PAYEE_DATA_INVALID, Codes.NOTHING_TO_WITHHOLD ->
                    HttpStatus.UNPROCESSABLE_ENTITY;
            case Codes.PAYROLL_PERIOD_EMPTY -> HttpStatus.NOT_FOUND;
            case Codes.STATEMENT_MALFORMED -> HttpStatus.BAD_REQUEST;
            case Codes.UPLOAD_NOT_FOUND, Codes.BREAK_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case Codes.BREAK_ALREADY_RESOLVED -> HttpStatus.CONFLICT;
            case Codes.RESOLUTION_NOT_APPLICABLE -> HttpStatus.UNPROCESSABLE_ENTITY;
            case Codes.IDEMPOTENCY_CONFLICT, Codes.TRANSFER_ID_CONFLICT -> HttpStatus.CONFLICT;
            case Codes.LINKED_EVENT_FAILED -> HttpStatus.UNPROCESSABLE_ENTITY;
            case Codes.UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case Codes.FORBIDDEN -> HttpStatus.FORBIDDEN;
            case Codes.NOT_FOUND, Codes.EVENT_NOT_FOUND, Codes.CHECKPOINT_NOT_FOUND, Codes.AUDIT_LOG_EMPTY ->
                    HttpStatus.NOT_FOUND;
            case Codes.METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case Codes.API_KEY_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case Codes.LAST_ADMIN_KEY -> HttpStatus.CONFLICT;
            case Codes.TOO_MANY_STREAMS, Codes.RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case Codes.RATE_PLAN_NOT_FOUND, Codes.TENANT_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case Codes.DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            case Codes.CANCELLED -> HttpStatus.BAD_REQUEST;
            case Codes.QUOTE_NOT_FOUND, Codes.SETTLEMENT_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case Codes.QUOTE_EXPIRED -> HttpStatus.CONFLICT;
            case Codes.RATE_UNAVAILABLE, Codes.QUOTE_BOOK_FULL -> HttpStatus.SERVICE_UNAVAILABLE;
            case Codes.DATABASE_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    public static HttpStatus statusOf(RejectionCode code) {
        return switch (code) {
            case ACCOUNT_NOT_FOUND, TRANSFER_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case DUPLICATE_ID, ACCOUNT_FROZEN, ACCOUNT_CLOSED, ACCOUNT_NOT_EMPTY, TRANSFER_NOT_PENDING,
                    TRANSFER_EXPIRED, TRANSFER_NOT_REVERSIBLE, LIMIT_BELOW_BALANCE -> HttpStatus.CONFLICT;
            case VALIDATION_FAILED -> HttpStatus.BAD_REQUEST;
            case INSUFFICIENT_FUNDS, CURRENCY_MISMATCH, AMOUNT_INVALID, UNBALANCED_ENTRY, UNKNOWN_CURRENCY ->
                    HttpStatus.UNPROCESSABLE_ENTITY;
        };
    }

    public String body(HttpStatus status, String code, String detail, String instance) {
        return body(status, code, detail, instance, java.util.List.of());
    }

    /**
     * Answers a request with a problem document from outside Spring MVC (the servlet filters that
     * refuse before a controller runs): status, UTF-8 problem+json, body. Headers of the refusal's
     * own (Retry-After, WWW-Authenticate…) are set by the caller before.
     */
    public void write(jakarta.servlet.http.HttpServletResponse response, HttpStatus status, String code, String detail,
                      String instance) throws java.io.IOException {
        response.setStatus(status.value());
        response.setCharacterEncoding(java.nio.charset.StandardCharsets.UTF_8.name()); // not the writer's ISO-8859-1
        response.setContentType(PROBLEM_JSON.toString());
        response.getWriter().write(body(status, code, detail, instance));
    }

    /**
     * The problem document; {@code fields} (when any) is the extension member {@code fields}: the
     * request's fields the refusal is about (transfer_id_conflict: those that differ, docs/retries.md).
     */
    public String body(HttpStatus status, String code, String detail, String instance, java.util.List<String> fields) {
        Map<String, Object> problem = document(status.value(), status.getReasonPhrase(), code, detail);
        if (instance != null) {
            problem.put("instance", URI.create(instance).getPath());
        }
        if (!fields.isEmpty()) {
            problem.put("fields", fields);
        }
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The members of a problem document, in order; also for the HTTP server's own refusals
     * ({@link ProblemErrorReportValve}), which Tomcat answers outside Spring.
     */
    static Map<String, Object> document(int status, String title, String code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_BASE + code);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("code", code);
        problem.put("detail", detail);
        return problem;
    }

    public ResponseEntity<String> response(HttpStatus status, String code, String detail, String instance) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(PROBLEM_JSON);
        if (Codes.DATABASE_UNAVAILABLE.equals(code)) {
            answer.header(HttpHeaders.RETRY_AFTER, Integer.toString(Codes.RETRY_AFTER_SECONDS));
        }
        return answer.body(body(status, code, detail, instance));
    }

    public ResponseEntity<String> response(LedgerRejection rejection, String instance) {
        return response(statusOf(rejection.code()), rejection.code().code(), rejection.getMessage(), instance);
    }

    public ResponseEntity<String> response(Refusal refusal, String instance) {
        return response(statusOf(refusal.code()), refusal.code(), refusal.getMessage(), instance);
    }
}
