package ledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import ledger.api.app.Codes;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Errors the HTTP server answers by itself, before any of the service's code runs (a request
 * header over the size limit, a malformed request line, a URI Tomcat refuses), as problem documents
 * like every other refusal, instead of Tomcat's HTML page. Installed as the host's error report
 * valve ({@link WebConfig}).
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String code = codeOf(status);
        String message = response.getMessage();
        String detail = message != null && !message.isBlank() ? message : defaultDetail(status);
        try {
            String body = JSON.writeValueAsString(Problems.document(status, reason(status), code, detail));
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException | IllegalStateException ignored) {
            // the client is gone, or the response could not take a body: nothing more to say
        }
    }

    static String codeOf(int status) {
        return switch (status) {
            case 401 -> Codes.UNAUTHORIZED;
            case 403 -> Codes.FORBIDDEN;
            case 404 -> Codes.NOT_FOUND;
            case 405 -> Codes.METHOD_NOT_ALLOWED;
            default -> status >= 500 ? Codes.INTERNAL_ERROR : Codes.VALIDATION_FAILED;
        };
    }

    static String defaultDetail(int status) {
        return switch (status) {
            case 400 -> "the request is malformed or a request header is over the size limit";
            case 413 -> "the request is over the size limit";
            case 414 -> "the request URI is over the size limit";
            case 431 -> "the request headers are over the size limit";
            case 500 -> "the request failed on the server; it may be sent again with the same idempotency key";
            default -> reason(status);
        };
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
