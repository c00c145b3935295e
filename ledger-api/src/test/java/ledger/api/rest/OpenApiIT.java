package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.api.ApiContract;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.app.Codes;
import org.junit.jupiter.api.Test;

/**
 * The running service serves its OpenAPI document and the Swagger UI; the document is the one
 * committed as docs/openapi.json (from which the generated client of GeneratedClientIT is built),
 * and the validator every REST test goes through refuses answers the document does not describe.
 */
class OpenApiIT extends RestSupport {
    /** The committed copy of the served document (docs/api-contract.md). */
    static final Path COMMITTED = Path.of("../docs/openapi.json");
    /** Where this test writes the served document, to be copied over the committed one when it changes. */
    static final Path SERVED = Path.of("target/openapi/ledger-api.json");

    @Test
    void theOpenApiDocumentDescribesTheTransferEndpoints() {
        LedgerClient c = root();
        Response docs = send(HttpRequest.newBuilder(c.uri("/v3/api-docs")).GET());
        assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
        assertThat(docs.header("Content-Type")).contains("json");
        JsonNode doc = docs.json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.get("paths");
        assertThat(paths.has("/v1/transfers")).as(paths.toString()).isTrue();
        assertThat(paths.get("/v1/transfers").has("post")).isTrue();
        for (String path : new String[] {"/v1/entries", "/v1/transfers/{id}/post", "/v1/transfers/{id}/void",
                "/v1/accounts", "/v1/accounts/{id}", "/v1/accounts/{id}/entries", "/v1/reports/trial-balance",
                "/v1/tenants", "/v1/api-keys"}) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        // the money-moving endpoint documents its Idempotency-Key header, its 201 (200: the same transfer
        // existed already, docs/retries.md) and its refusals
        JsonNode create = paths.get("/v1/transfers").get("post");
        assertThat(create.toString()).contains("Idempotency-Key");
        // 200 only for a retry by id that found the same transfer (docs/retries.md), which says so in a header
        assertThat(create.path("responses").path("200").path("headers").has("Transfer-Existed")).isTrue();
        assertThat(create.path("responses").path("201").path("content").path("application/json").path("schema")
                .path("$ref").asText()).isEqualTo("#/components/schemas/TransferView");
        for (String status : new String[] {"400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"}) {
            assertThat(create.path("responses").path(status).path("content").path("application/problem+json")
                    .path("schema").path("$ref").asText()).as(status).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(create.path("responses").path("422").path("description").asText()).contains("insufficient_funds");
        // every operation can be over its caller's rate limit, and says when to come back
        assertThat(create.path("responses").path("429").path("headers").has("Retry-After")).isTrue();
        assertThat(create.path("responses").path("429").path("headers").has("RateLimit-Reset")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("apiKey")).isTrue();
        // amounts are strings in the contract
        JsonNode amount = doc.path("components").path("schemas").path("TransferRequest").path("properties")
                .path("amount");
        assertThat(amount.path("type").asText()).isEqualTo("string");
    }

    @Test
    void theProblemCodeIsAnEnumOfEveryStableCode() throws Exception {
        JsonNode code = JSON.readTree(ApiContract.document(port)).path("components").path("schemas")
                .path("Problem").path("properties").path("code");
        List<String> codes = new ArrayList<>();
        code.path("enum").forEach(c -> codes.add(c.asText()));
        assertThat(codes).containsExactlyElementsOf(Codes.all()).contains("insufficient_funds", "idempotency_conflict",
                "database_unavailable", "quote_expired", "payee_data_missing");
    }

    /**
     * The served document is the committed docs/openapi.json (less "servers", which names the host
     * the document was fetched from). When an endpoint changes, this fails until the new document
     * is committed: copy target/openapi/ledger-api.json (written here) to docs/openapi.json.
     */
    @Test
    void theServedDocumentIsTheCommittedOne() throws Exception {
        ObjectNode served = (ObjectNode) JSON.readTree(ApiContract.document(port));
        served.remove("servers");
        Files.createDirectories(SERVED.getParent());
        String text = JSON.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writerWithDefaultPrettyPrinter().writeValueAsString(JSON.treeToValue(served, Object.class)) + "\n";
        Files.writeString(SERVED, text);
        assertThat(Files.exists(COMMITTED)).as("docs/openapi.json is missing: copy " + SERVED.toAbsolutePath()
                + " there").isTrue();
        assertThat(JSON.readTree(Files.readString(COMMITTED)))
                .as("the served OpenAPI document differs from docs/openapi.json; if the change is meant, run"
                        + " cp ledger-api/" + SERVED + " docs/openapi.json and commit it")
                .isEqualTo(served);
    }

    /** The validator the REST tests go through is not a formality: it refuses what the document does not say. */
    @Test
    void theValidatorRefusesAnswersTheDocumentDoesNotDescribe() {
        OpenApiInteractionValidator validator = ApiContract.validator(port);
        Map<String, List<String>> json = Map.of("content-type", List.of("application/json"));
        Map<String, List<String>> problemJson = Map.of("content-type", List.of("application/problem+json"));
        String transfer = "{\"id\":\"t-1\",\"kind\":\"transfer\",\"status\":\"POSTED\",\"legs\":[{\"account\":\"a\","
                + "\"side\":\"debit\",\"amount\":\"1.00\",\"currency\":\"EUR\"},{\"account\":\"b\",\"side\":\"credit\","
                + "\"amount\":\"1.00\",\"currency\":\"EUR\"}],\"postedAmount\":null,\"expiresAt\":null,"
                + "\"metadata\":{},\"createdAt\":\"2026-01-01T00:00:00.000000Z\",\"reversalOf\":null,"
                + "\"reversedAmount\":null,\"reversals\":[]}";
        assertThat(errors(validator, "POST", "/v1/transfers", 201, json, transfer)).isEmpty();
        // a status the operation does not answer
        assertThat(errors(validator, "POST", "/v1/transfers", 202, json, transfer))
                .contains("validation.response.status.unknown");
        // a member the schema does not have, and one it requires left out
        assertThat(errors(validator, "POST", "/v1/transfers", 201, json,
                transfer.replace("\"kind\":\"transfer\"", "\"kind\":\"transfer\",\"extra\":1")))
                .anyMatch(k -> k.contains("additionalProperties"));
        assertThat(errors(validator, "POST", "/v1/transfers", 201, json,
                transfer.replace("\"kind\":\"transfer\",", ""))).anyMatch(k -> k.endsWith("required"));
        // null where the document does not allow it
        assertThat(errors(validator, "POST", "/v1/transfers", 201, json,
                transfer.replace("\"createdAt\":\"2026-01-01T00:00:00.000000Z\"", "\"createdAt\":null")))
                .anyMatch(k -> k.endsWith("type"));
        // an amount as a JSON number
        assertThat(errors(validator, "POST", "/v1/transfers", 201, json,
                transfer.replace("\"amount\":\"1.00\"", "\"amount\":1.00"))).anyMatch(k -> k.endsWith("type"));
        // a refusal with a code that is not a stable code, or not a problem document
        String problem = "{\"type\":\"https://ledger.invalid/problems/insufficient_funds\",\"title\":\"Unprocessable"
                + " Entity\",\"status\":422,\"code\":\"insufficient_funds\",\"detail\":\"no\",\"instance\":\"/v1/transfers\"}";
        assertThat(errors(validator, "POST", "/v1/transfers", 422, problemJson, problem)).isEmpty();
        assertThat(errors(validator, "POST", "/v1/transfers", 422, problemJson,
                problem.replace("\"code\":\"insufficient_funds\"", "\"code\":\"no_money\""))).anyMatch(k -> k.endsWith("enum"));
        assertThat(errors(validator, "POST", "/v1/transfers", 422, json, problem))
                .contains("validation.response.contentType.notAllowed");
        // a status that only exists for other operations
        assertThat(errors(validator, "GET", "/v1/transfers/t-1", 409, problemJson, problem))
                .contains("validation.response.status.unknown");
    }

    /** The only allOf in the document wraps one reference to make it nullable (ApiContract relies on it). */
    @Test
    void everyAllOfIsANullableReference() throws Exception {
        List<JsonNode> wrappers = new ArrayList<>();
        collectAllOf(JSON.readTree(ApiContract.document(port)), wrappers);
        assertThat(wrappers).isNotEmpty().allSatisfy(w -> {
            assertThat(w.path("nullable").asBoolean()).as(w.toString()).isTrue();
            assertThat(w.path("allOf").size()).as(w.toString()).isEqualTo(1);
        });
    }

    private static void collectAllOf(JsonNode node, List<JsonNode> found) {
        if (node.has("allOf")) {
            found.add(node);
        }
        node.forEach(child -> collectAllOf(child, found));
    }

    private static List<String> errors(OpenApiInteractionValidator validator, String method, String path, int status,
                                       Map<String, List<String>> headers, String body) {
        ValidationReport report = ApiContract.validate(validator, method, path, status, headers, body);
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(ValidationReport.Message::getKey).toList();
    }

    @Test
    void theSwaggerUiAnswers() {
        LedgerClient c = root();
        Response ui = send(HttpRequest.newBuilder(c.uri("/swagger-ui.html")).GET());
        assertThat(ui.status()).as(ui.toString()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("swagger");
        Response index = send(HttpRequest.newBuilder(c.uri("/swagger-ui/index.html")).GET());
        assertThat(index.status()).isEqualTo(200);
    }
}
