package ledger.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The OpenAPI document the service serves is its REST contract (docs/api-contract.md): every REST
 * response a test receives through {@link LedgerClient} (or the REST tests' raw sender) is checked
 * against that document, and a response the document does not describe (status, content type,
 * header or body) fails the test that received it.
 *
 * <p>The document is fetched from {@code /v3/api-docs} once per running service (per port), that is
 * once per Spring context, or once per service process for the tests that start their own.
 */
public final class ApiContract {
    /** Where the service serves its document (springdoc, application.yml). */
    public static final String DOCUMENT_PATH = "/v3/api-docs";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<Integer, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    /**
     * Report keys that say the document has no operation for the request. Accepted only when the
     * service answered 404 or 405 as well: then both agree that the operation does not exist (a test
     * of a wrong path or method), and there is no operation whose responses could be checked.
     */
    private static final Set<String> NO_SUCH_OPERATION = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");

    private ApiContract() {
    }

    /** The served document, as JSON text. */
    public static String document(int port) {
        HttpResponse<String> served;
        try {
            served = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + DOCUMENT_PATH))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (served.statusCode() != 200) {
            throw new AssertionError("the OpenAPI document is not served: " + served.statusCode() + " " + served.body());
        }
        return served.body();
    }

    /** A validator for the document the service on {@code port} serves (fetched once per port). */
    public static OpenApiInteractionValidator validator(int port) {
        return VALIDATORS.computeIfAbsent(port, p -> validatorFor(document(p)));
    }

    /** A validator for a document given as JSON text. */
    public static OpenApiInteractionValidator validatorFor(String document) {
        return OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
    }

    /**
     * Fails unless the document describes the response the service gave to {@code method path}.
     * Only the REST API under {@code /v1/} is the document's subject: the actuator and the document
     * itself are not part of it.
     */
    public static void check(int port, String method, URI uri, int status, Map<String, List<String>> headers,
                             String body) {
        String path = uri.getRawPath();
        if (!path.startsWith("/v1/")) {
            return;
        }
        ValidationReport report = validate(validator(port), method, path, status, headers, body);
        if (report.hasErrors()) {
            throw new AssertionError("the response to " + method + " " + path + " disagrees with the served OpenAPI"
                    + " document (" + DOCUMENT_PATH + "):\n" + describe(report) + "\nresponse: " + status + " "
                    + headers.getOrDefault("content-type", List.of()) + " " + body);
        }
    }

    /** The validator's findings about one response, less "no such operation" when the service said so too. */
    public static ValidationReport validate(OpenApiInteractionValidator validator, String method, String path,
                                            int status, Map<String, List<String>> headers, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> {
            if (!name.startsWith(":")) { // HTTP/2 pseudo-headers are not headers of the response
                response.withHeader(name, values);
            }
        });
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), response.build());
        if ((status == 404 || status == 405)
                && report.getMessages().stream().allMatch(m -> NO_SUCH_OPERATION.contains(m.getKey()))) {
            return ValidationReport.empty();
        }
        JsonNode json = parse(body);
        return ValidationReport.from(report.getMessages().stream()
                .filter(m -> !isNullForNullableReference(m, json)).toList());
    }

    /**
     * A null where the document has a nullable reference. OpenAPI 3.0 can say "this member is a
     * TransferView or null" only as {@code allOf: [$ref] + nullable: true} (ApiDocs writes it so,
     * and openapi-generator reads it so), but the validator applies JSON Schema's allOf to the null
     * and reports it. Suppressed for exactly that: an allOf failure whose instance is JSON null
     * (OpenApiIT checks that every allOf wrapper in the document is nullable).
     */
    private static boolean isNullForNullableReference(ValidationReport.Message message, JsonNode body) {
        if (body == null || !message.getKey().endsWith(".schema.allOf")) {
            return false;
        }
        java.util.regex.Matcher at = NULL_AT.matcher(message.getMessage());
        return at.find() && body.at(at.group(1)).isNull()
                && message.getAdditionalInfo().stream().allMatch(i -> i.contains("Instance type (null)"));
    }

    private static final java.util.regex.Pattern NULL_AT = java.util.regex.Pattern.compile("\\[Path '([^']*)'\\]");

    private static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(ValidationReport report) {
        return report.getMessages().stream()
                .map(m -> "  - [" + m.getKey() + "] " + m.getMessage()
                        + (m.getAdditionalInfo().isEmpty() ? "" : " " + m.getAdditionalInfo()))
                .collect(Collectors.joining("\n"));
    }
}
