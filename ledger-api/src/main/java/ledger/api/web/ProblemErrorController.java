package ledger.api.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}): an error that escaped Spring MVC's handlers
 * (a body whose chunked framing breaks while a filter reads it, a {@code sendError} from a filter)
 * is answered with a problem document, like every other refusal, instead of Spring Boot's own JSON.
 * The status is the container's; the detail of a server error says nothing of its cause.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {
    private final Problems problems;

    ProblemErrorController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) { // asked for by name, not forwarded by the container: there is no such page
            return problems.response(HttpStatus.NOT_FOUND, ProblemErrorReportValve.codeOf(404),
                    "no such path: " + request.getRequestURI(), request.getRequestURI());
        }
        HttpStatus status = statusOf(code);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = status.is4xxClientError() && message instanceof String text && !text.isBlank()
                ? text : ProblemErrorReportValve.defaultDetail(status.value());
        return problems.response(status, ProblemErrorReportValve.codeOf(status.value()), detail,
                instance(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)));
    }

    private static HttpStatus statusOf(Object code) {
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status != null && status.isError() ? status : HttpStatus.INTERNAL_SERVER_ERROR;
    }

    /** The path of the request that failed, if it is a valid URI path (it may be why it failed). */
    private static String instance(Object uri) {
        if (!(uri instanceof String path)) {
            return null;
        }
        try {
            return java.net.URI.create(path).getPath() == null ? null : path;
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
