package ledger.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The ledger's REST API as the load generator uses it: one HTTP/1.1 connection per copy, kept
 * alive, on Apache HttpClient's blocking client. The JDK's {@code java.net.http} client cost 0.36 ms
 * of CPU per call here against the service's 0.2 ms for the same call (a request it refuses
 * without its database, 8 clients; docs/performance.md, "The floor of each transport"): on a
 * 2-core machine shared with the service, the client itself was most of what REST measured.
 * Nothing is retried by the client: a request that fails is reported, never sent twice.
 */
final class RestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);
    private static final Timeout RESPONSE_TIMEOUT = Timeout.ofSeconds(60);

    private final String base;
    private final String apiKey;
    private final CloseableHttpClient http = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(1).setMaxConnPerRoute(1)
                    .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(CONNECT_TIMEOUT)
                            .setSocketTimeout(RESPONSE_TIMEOUT).build())
                    .build())
            .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(RESPONSE_TIMEOUT).build())
            .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
            .disableContentCompression()
            .build();

    /** What came back: the status, the body, whether the answer is a replay of a stored one. */
    private record Response(String request, int status, String body, boolean replayed) {
    }

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

    /** Another client with the same key, on a connection of its own. */
    RestClient copy() {
        return new RestClient(base, apiKey);
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        Response response = post("/v1/transfers", id, "{\"id\":\"" + id + "\",\"debitAccount\":\"" + debit
                + "\",\"creditAccount\":\"" + credit + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\"}");
        if (response.status() == 201) {
            return new Result(201, null, response.replayed());
        }
        String code = "?";
        try {
            code = JSON.readTree(response.body()).path("code").asText("?");
        } catch (IOException unreadable) {
            // keep "?"
        }
        return new Result(response.status(), code, false);
    }

    String balance(String account) {
        Response response = get("/v1/accounts/" + account);
        return response.status() == 200 ? json(response, 200).get("balance").asText() : null;
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

    private Response post(String path, String idempotencyKey, String body) {
        ClassicRequestBuilder request = ClassicRequestBuilder.post(base + path)
                .setHeader("Authorization", "Bearer " + apiKey)
                .setEntity(body, ContentType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request.setHeader("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private Response get(String path) {
        return send(ClassicRequestBuilder.get(base + path).setHeader("Authorization", "Bearer " + apiKey).build());
    }

    private Response send(ClassicHttpRequest request) {
        String what = request.getMethod() + " " + request.getRequestUri();
        try {
            return http.execute(request, response -> new Response(what, response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity()),
                    response.containsHeader("Idempotent-Replayed")));
        } catch (IOException e) {
            throw new UncheckedIOException(what, e);
        }
    }

    private static JsonNode json(Response response, int expectedStatus) {
        if (response.status() != expectedStatus) {
            throw new IllegalStateException(response.request() + " -> " + response.status() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
