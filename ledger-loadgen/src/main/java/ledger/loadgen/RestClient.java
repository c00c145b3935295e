package ledger.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The ledger's REST API as the load generator uses it: one HTTP/1.1 client (connection) per copy. */
final class RestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code replayed}: the stored answer of an earlier request with the same key (nothing posted now). */
    record Result(int status, String code, boolean replayed) {
    }

    RestClient(String base, String apiKey) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.apiKey = apiKey;
    }

    String apiKey() {
        return apiKey;
    }

    RestClient copy() {
        return new RestClient(base, apiKey);
    }

    String createTenant(String tenant) {
        JsonNode created = json(post("/v1/tenants", null, "{\"id\":\"" + tenant + "\"}"), 201);
        return created.get("apiKey").asText();
    }

    void openAccount(String id, String currency, String kind, String overdraftLimit) {
        json(post("/v1/accounts", null, "{\"id\":\"" + id + "\",\"currency\":\"" + currency + "\",\"kind\":\"" + kind
                + "\",\"overdraftLimit\":\"" + overdraftLimit + "\"}"), 201);
    }

    Result transfer(String id, String debit, String credit, String amount, String currency) {
        HttpResponse<String> response = post("/v1/transfers", id, "{\"id\":\"" + id + "\",\"debitAccount\":\"" + debit
                + "\",\"creditAccount\":\"" + credit + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\"}");
        if (response.statusCode() == 201) {
            return new Result(201, null, response.headers().firstValue("Idempotent-Replayed").isPresent());
        }
        String code = "?";
        try {
            code = JSON.readTree(response.body()).path("code").asText("?");
        } catch (IOException unreadable) {
            // keep "?"
        }
        return new Result(response.statusCode(), code, false);
    }

    String balance(String account) {
        HttpResponse<String> response = get("/v1/accounts/" + account);
        return response.statusCode() == 200 ? json(response, 200).get("balance").asText() : null;
    }

    BigDecimal postedCredits(String account) {
        return new BigDecimal(json(get("/v1/accounts/" + account), 200).get("creditsPosted").asText());
    }

    BigDecimal postedDebits(String account) {
        return new BigDecimal(json(get("/v1/accounts/" + account), 200).get("debitsPosted").asText());
    }

    /** Per currency: {total debits, total credits} of the trial balance. */
    Map<String, BigDecimal[]> trialBalanceTotals() {
        Map<String, BigDecimal[]> totals = new HashMap<>();
        for (JsonNode total : json(get("/v1/reports/trial-balance"), 200).get("totals")) {
            totals.put(total.get("currency").asText(), new BigDecimal[] {
                    new BigDecimal(total.get("debits").asText()), new BigDecimal(total.get("credits").asText())});
        }
        return totals;
    }

    private HttpResponse<String> post(String path, String idempotencyKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(60)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " -> "
                    + response.statusCode() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
