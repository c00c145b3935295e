package ledger.api.web;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.servlet.http.HttpServletRequest;
import ledger.api.app.Refusal;
import ledger.api.command.Outage;
import java.util.stream.Collectors;
import ledger.domain.model.LedgerRejection;
import org.axonframework.commandhandling.CommandExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every refusal to a problem document with a stable code. Unexpected errors are 500, logged. */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    private final Problems problems;

    public ProblemHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(LedgerRejection.class)
    ResponseEntity<String> rejection(LedgerRejection e, HttpServletRequest request) {
        return problems.response(e, request.getRequestURI());
    }

    @ExceptionHandler(Refusal.class)
    ResponseEntity<String> refusal(Refusal e, HttpServletRequest request) {
        return problems.response(e, request.getRequestURI());
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<String> remote(CommandExecutionException e, HttpServletRequest request) {
        if (e.getCause() instanceof LedgerRejection rejection) {
            return problems.response(rejection, request.getRequestURI());
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<String> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return problems.response(HttpStatus.PAYLOAD_TOO_LARGE, "validation_failed", tooLarge.getMessage(),
                        request.getRequestURI());
            }
        }
        return problems.response(HttpStatus.BAD_REQUEST, "validation_failed", describe(e), request.getRequestURI());
    }

    @ExceptionHandler({MissingRequestHeaderException.class, MissingServletRequestParameterException.class,
            MethodArgumentTypeMismatchException.class})
    ResponseEntity<String> badParameter(Exception e, HttpServletRequest request) {
        return problems.response(HttpStatus.BAD_REQUEST, "validation_failed", e.getMessage(), request.getRequestURI());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return problems.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "validation_failed",
                "send the body as application/json", request.getRequestURI());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return problems.response(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage(),
                request.getRequestURI());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<String> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return problems.response(HttpStatus.NOT_FOUND, "not_found", "no such resource", request.getRequestURI());
    }

    /** A streaming client (the change feed's SSE) went away: there is nobody to answer. */
    @ExceptionHandler(org.springframework.web.context.request.async.AsyncRequestNotUsableException.class)
    void clientGone(Exception e, HttpServletRequest request) {
        LOG.debug("{} {}: the client went away", request.getMethod(), request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) {
        if (Outage.isDatabaseUnavailable(e)) {
            LOG.warn("{} {}: the database cannot be reached ({})", request.getMethod(), request.getRequestURI(),
                    e.toString());
            return problems.response(Refusal.databaseUnavailable(), request.getRequestURI());
        }
        LOG.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problems.response(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "the request failed unexpectedly; it may be retried with the same Idempotency-Key",
                request.getRequestURI());
    }

    private static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof BodyTooLargeException tooLarge) {
            return tooLarge.getMessage();
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + path(unknown) + "\"";
        }
        if (cause instanceof MismatchedInputException trailing && trailing.getOriginalMessage() != null
                && trailing.getOriginalMessage().startsWith("Trailing token")) {
            return "malformed JSON: content after the JSON object";
        }
        if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            JsonMappingException mapping = (JsonMappingException) cause;
            String at = path(mapping);
            return at.isEmpty() ? "the body must be a JSON object" : "field \"" + at + "\" has the wrong type"
                    + (mapping.getOriginalMessage().contains("String") || mapping.getOriginalMessage().contains("Textual")
                    ? " (amounts and identifiers are JSON strings)" : "");
        }
        if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return "malformed JSON: " + json.getOriginalMessage();
        }
        if (cause != null && cause.getCause() instanceof BodyTooLargeException tooLarge) {
            return tooLarge.getMessage();
        }
        return "the body must be a JSON object";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
