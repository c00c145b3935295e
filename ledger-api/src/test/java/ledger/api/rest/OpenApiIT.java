package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/** The running service serves its OpenAPI document and the Swagger UI. */
class OpenApiIT extends RestSupport {

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
        // the money-moving endpoint documents its Idempotency-Key header
        assertThat(paths.get("/v1/transfers").get("post").toString()).contains("Idempotency-Key");
        assertThat(doc.path("components").path("securitySchemes").has("apiKey")).isTrue();
        // amounts are strings in the contract
        JsonNode amount = doc.path("components").path("schemas").path("TransferRequest").path("properties")
                .path("amount");
        assertThat(amount.path("type").asText()).isEqualTo("string");
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
