package ledger.api.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import ledger.api.app.Codes;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * What the served OpenAPI document adds to springdoc's reading of the controllers, so that it
 * describes the API as it answers (docs/api-contract.md):
 * <ul>
 *   <li>the {@code Problem} schema (RFC 9457 with {@code code} as an enum of every stable code);</li>
 *   <li>on every operation, one {@code application/problem+json} response per status its refusals
 *   map to: the codes of its {@link Refuses} and those every operation can answer;</li>
 *   <li>on operations that take an {@code Idempotency-Key}, the {@code Idempotent-Replayed} header;</li>
 *   <li>every member of an answer's schema is required: the API writes each member of its views,
 *   null where the schema says nullable, never leaves one out.</li>
 * </ul>
 * The integration tests check every response they receive against the served document, so an
 * answer this does not describe fails the build.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocs {
    public static final String PROBLEM = "Problem";
    public static final String API_KEY_SCHEME = "apiKey";
    private static final String SCHEMA_REF_PREFIX = "#/components/schemas/";
    /**
     * Refusals any operation can answer: bad input, no or wrong key, a role without the right, a fault, an outage,
     * and a caller over its rate limit: {@link RateLimitFilter} takes a token for every authenticated request
     * under /v1/, which is every operation of the document (each needs an API key), whatever its role.
     */
    static final List<String> EVERY_OPERATION_REFUSES = List.of(Codes.VALIDATION_FAILED, Codes.UNAUTHORIZED,
            Codes.FORBIDDEN, Codes.RATE_LIMITED, Codes.INTERNAL_ERROR, Codes.DATABASE_UNAVAILABLE);
    /** The headers {@link RateLimitFilter} sends with rate_limited (draft-ietf-httpapi-ratelimit-headers). */
    static final String RATE_LIMIT_LIMIT = "RateLimit-Limit";
    static final String RATE_LIMIT_REMAINING = "RateLimit-Remaining";
    static final String RATE_LIMIT_RESET = "RateLimit-Reset";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /**
     * The description of the Idempotency-Key header where it is required. The controllers check
     * the key themselves (Commands.checkKey: a missing key is validation_failed), so the binding says
     * required = false and {@code @Parameter(required = true)} tells the document.
     */
    public static final String KEY_REQUIRED = "1 to 255 visible ASCII characters, unique per request in the tenant;"
            + " the same key with the same request answers the stored result and does nothing again";

    @Bean
    public OpenApiCustomizer problemsAndAnswers() {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            components.addSchemas(PROBLEM, problemSchema());
            requireEveryMemberOfAnswers(openApi);
        };
    }

    /**
     * A member that is another schema and may be null ({@code @Schema(nullable = true)} on a record
     * component whose type has its own schema): OpenAPI 3.0 ignores {@code nullable} beside a
     * {@code $ref}, so the reference is wrapped in {@code allOf} and the wrapper is nullable.
     */
    @Bean
    @SuppressWarnings("rawtypes")
    public PropertyCustomizer nullableReferences() {
        return (property, type) -> {
            if (property == null || property.get$ref() == null || type.getCtxAnnotations() == null) {
                return property;
            }
            for (java.lang.annotation.Annotation annotation : type.getCtxAnnotations()) {
                if (annotation instanceof io.swagger.v3.oas.annotations.media.Schema schema && schema.nullable()) {
                    Schema wrapper = new ComposedSchema().addAllOfItem(new Schema<>().$ref(property.get$ref()));
                    wrapper.setNullable(true);
                    if (!schema.description().isEmpty()) {
                        wrapper.setDescription(schema.description());
                    }
                    return wrapper;
                }
            }
            return property;
        };
    }

    @Bean
    public OperationCustomizer refusals() {
        return (operation, handler) -> {
            if (!handler.getBeanType().getPackageName().startsWith("ledger.")) { // springdoc's own
                return operation;
            }
            requireDocumented(operation, handler);
            Set<String> codes = new LinkedHashSet<>(EVERY_OPERATION_REFUSES);
            boolean keyed = takesIdempotencyKey(operation);
            if (keyed) {
                codes.add(Codes.IDEMPOTENCY_CONFLICT);
            }
            Refuses refuses = handler.getMethodAnnotation(Refuses.class);
            if (refuses != null) {
                for (String code : refuses.value()) {
                    if (!Codes.all().contains(code)) {
                        throw new IllegalStateException("@Refuses on " + handler + " names \"" + code
                                + "\", which is not a stable code of ledger.api.app.Codes");
                    }
                    codes.add(code);
                }
            }
            Map<Integer, List<String>> byStatus = new TreeMap<>();
            for (String code : codes) {
                byStatus.computeIfAbsent(Problems.statusOf(code).value(), s -> new ArrayList<>()).add(code);
            }
            if (operation.getRequestBody() != null) {
                // BodySizeLimitFilter and JsonBodiesOnly: the body's size and media type are checked first
                byStatus.computeIfAbsent(HttpStatus.PAYLOAD_TOO_LARGE.value(), s -> new ArrayList<>())
                        .add(Codes.VALIDATION_FAILED);
                byStatus.computeIfAbsent(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(), s -> new ArrayList<>())
                        .add(Codes.VALIDATION_FAILED);
            }
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            byStatus.forEach((status, statusCodes) -> responses.addApiResponse(Integer.toString(status),
                    problemResponse(status, statusCodes)));
            if (keyed) {
                responses.values().forEach(r -> r.addHeaderObject(RestCommands.REPLAY_HEADER, new Header()
                        .description("true when this is the stored answer to an earlier request with the same"
                                + " Idempotency-Key (nothing was done again)")
                        .schema(new StringSchema()._enum(List.of("true")))));
            }
            operation.setResponses(responses);
            return operation;
        };
    }

    /**
     * The rules of docs/api-contract.md that a controller method must follow: a stable operationId
     * (the method name of every generated client) and its success answers declared with their
     * status, media type and schema. A method that breaks them makes the document fail to build.
     */
    private static void requireDocumented(Operation operation, org.springframework.web.method.HandlerMethod handler) {
        io.swagger.v3.oas.annotations.Operation declared =
                handler.getMethodAnnotation(io.swagger.v3.oas.annotations.Operation.class);
        if (declared == null || declared.operationId().isEmpty()) {
            throw new IllegalStateException(handler + " needs @Operation(operationId = ...) (docs/api-contract.md)");
        }
        io.swagger.v3.oas.annotations.responses.ApiResponse[] answers = handler.getMethod()
                .getAnnotationsByType(io.swagger.v3.oas.annotations.responses.ApiResponse.class);
        boolean success = false;
        for (io.swagger.v3.oas.annotations.responses.ApiResponse answer : answers) {
            if (answer.responseCode().equals(NO_CONTENT)) { // no body: nothing to describe, and nothing may be
                success = true;
                if (answer.content().length > 0) {
                    throw new IllegalStateException(handler + ": @ApiResponse 204 has no content"
                            + " (docs/api-contract.md)");
                }
            } else if (answer.responseCode().startsWith("2")) {
                success = true;
                if (answer.content().length == 0 || answer.content()[0].mediaType().isEmpty()) {
                    throw new IllegalStateException(handler + ": @ApiResponse " + answer.responseCode()
                            + " needs content with a media type and a schema (docs/api-contract.md)");
                }
            }
        }
        if (!success) {
            throw new IllegalStateException(handler + " needs an @ApiResponse for each success status it answers"
                    + " (docs/api-contract.md)");
        }
    }

    private static final String NO_CONTENT = Integer.toString(HttpStatus.NO_CONTENT.value());

    private static boolean takesIdempotencyKey(Operation operation) {
        List<Parameter> parameters = operation.getParameters();
        return parameters != null && parameters.stream()
                .anyMatch(p -> "header".equals(p.getIn()) && IDEMPOTENCY_KEY.equalsIgnoreCase(p.getName()));
    }

    private static ApiResponse problemResponse(int status, List<String> codes) {
        ApiResponse response = new ApiResponse()
                .description(HttpStatus.valueOf(status).getReasonPhrase() + ": refused with code "
                        + String.join(", ", codes) + "; nothing was done")
                .content(new Content().addMediaType(Problems.PROBLEM_JSON.toString(),
                        new MediaType().schema(new Schema<>().$ref(SCHEMA_REF_PREFIX + PROBLEM))));
        if (codes.contains(Codes.DATABASE_UNAVAILABLE)) {
            response.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                    .description("with database_unavailable: seconds to wait before sending the request again")
                    .schema(new IntegerSchema()));
        }
        if (codes.contains(Codes.RATE_LIMITED)) { // RateLimitFilter
            response.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                    .description("with rate_limited: seconds until the limit that refused has a token again")
                    .schema(new IntegerSchema()));
            response.addHeaderObject(RATE_LIMIT_LIMIT, new Header()
                    .description("with rate_limited: the capacity of the plan that refused (tokens)")
                    .schema(new IntegerSchema()));
            response.addHeaderObject(RATE_LIMIT_REMAINING, new Header()
                    .description("with rate_limited: the tokens left, 0")
                    .schema(new IntegerSchema()));
            response.addHeaderObject(RATE_LIMIT_RESET, new Header()
                    .description("with rate_limited: seconds until a token is available again")
                    .schema(new IntegerSchema()));
        }
        return response;
    }

    /** RFC 9457 problem details as {@link Problems} writes them. */
    @SuppressWarnings("rawtypes")
    static Schema problemSchema() {
        StringSchema code = new StringSchema();
        code.setEnum(new ArrayList<>(Codes.all()));
        code.description("The stable code of the refusal: what a client branches on");
        Schema problem = new ObjectSchema()
                .description("A refusal (RFC 9457 problem details) with the stable code; nothing was done")
                .addProperty("type", new StringSchema().description("https://ledger.invalid/problems/<code>"))
                .addProperty("title", new StringSchema().description("The HTTP status's reason phrase"))
                .addProperty("status", new IntegerSchema().description("The HTTP status"))
                .addProperty("code", code)
                .addProperty("detail", new StringSchema().description("What was wrong, for a person"))
                .addProperty("instance", new StringSchema().description("The request's path"))
                .addProperty("fields", new ArraySchema().items(new StringSchema()).description("The request's fields"
                        + " the refusal is about, when it names any (transfer_id_conflict: those that differ from the"
                        + " existing transfer, docs/retries.md)"));
        problem.setRequired(List.of("type", "title", "status", "code", "detail"));
        return problem;
    }

    /**
     * Marks every member of every schema an answer uses (directly or nested) as required: views are
     * records written by Jackson with every member present (null where nullable). A schema that
     * names its required members itself (request schemas; Dtos.AccountRead) keeps its list.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void requireEveryMemberOfAnswers(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas == null || openApi.getPaths() == null) {
            return;
        }
        Deque<Schema> pending = new ArrayDeque<>();
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getResponses() != null) {
                operation.getResponses().values().forEach(response -> {
                    if (response.getContent() != null) {
                        response.getContent().values().forEach(media -> {
                            if (media.getSchema() != null) {
                                pending.add(media.getSchema());
                            }
                        });
                    }
                });
            }
        }));
        Set<String> answers = new HashSet<>();
        while (!pending.isEmpty()) {
            Schema schema = pending.pop();
            if (schema.get$ref() != null) {
                String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
                if (answers.add(name) && schemas.containsKey(name)) {
                    pending.add(schemas.get(name));
                }
                continue;
            }
            if (schema.getProperties() != null) {
                ((Map<String, Schema>) schema.getProperties()).values().forEach(pending::add);
            }
            if (schema.getItems() != null) {
                pending.add(schema.getItems());
            }
            if (schema.getAllOf() != null) {
                ((List<Schema>) schema.getAllOf()).forEach(pending::add);
            }
            if (schema.getOneOf() != null) {
                ((List<Schema>) schema.getOneOf()).forEach(pending::add);
            }
            if (schema.getAdditionalProperties() instanceof Schema additional) {
                pending.add(additional);
            }
        }
        answers.remove(PROBLEM);
        for (String name : answers) {
            Schema schema = schemas.get(name);
            if (schema != null && schema.getProperties() != null
                    && (schema.getRequired() == null || schema.getRequired().isEmpty())) {
                schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
            }
        }
    }
}
