package ledger.api.web;

import org.springframework.http.HttpStatus;

/** A refusal raised by the API layer itself (auth, validation, idempotency), with its stable code. */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String code;

    public ApiProblem(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiProblem validation(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "validation_failed", detail);
    }

    public static ApiProblem notFound(String code, String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, code, detail);
    }
}
