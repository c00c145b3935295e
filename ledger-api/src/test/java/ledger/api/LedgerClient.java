package ledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** A small HTTP client for the ledger's REST API, as a payment system would use it. */
public final class LedgerClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final String apiKey;
    private final String tenant;

    public LedgerClient(int port, String apiKey) {
        this(port, apiKey, null);
    }

    private LedgerClient(int port, String apiKey, String tenant) {
        this.port = port;
        this.apiKey = apiKey;
        this.tenant = tenant;
    }

    public String tenant() {
        return tenant;
    }

    public String apiKey() {
        return apiKey;
    }

    public int port() {
        return port;
    }

    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String code() {
            return json().path("code").asText(null);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public LedgerClient createTenant(String id) {
        Response created = post("/v1/tenants", null, "{\"id\":\"" + id + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("tenant not created: " + created);
        }
        return new LedgerClient(port, created.json().get("apiKey").asText(), id);
    }

    public LedgerClient withKey(String otherKey) {
        return new LedgerClient(port, otherKey, tenant);
    }

    public Response openAccount(String id, String currency, String kind, String overdraftLimit) {
        String limit = overdraftLimit == null ? "" : ",\"overdraftLimit\":\"" + overdraftLimit + "\"";
        return post("/v1/accounts", null, "{\"id\":\"" + id + "\",\"currency\":\"" + currency + "\",\"kind\":\""
                + kind + "\"" + limit + "}");
    }

    public Response transfer(String key, String id, String debit, String credit, String amount, String currency) {
        return post("/v1/transfers", key, "{\"id\":\"" + id + "\",\"debitAccount\":\"" + debit
                + "\",\"creditAccount\":\"" + credit + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\"}");
    }

    public Response account(String id) {
        return get("/v1/accounts/" + id);
    }

    /**
     * Reads the account once and requires {@code condition}: a read after an acknowledged write
     * reflects it at once (read-your-writes), so nothing here waits or retries.
     */
    public Response awaitAccount(String id, Predicate<JsonNode> condition) {
        return readNow("/v1/accounts/" + id, condition);
    }

    /** Reads the transfer once and requires {@code condition} (see {@link #awaitAccount}). */
    public Response awaitTransfer(String id, Predicate<JsonNode> condition) {
        return readNow("/v1/transfers/" + id, condition);
    }

    /**
     * Waits until a pending transfer's deadline has fired: time has to pass for that (the expiry is
     * a write of the ledger's own), unlike a read after an acknowledged write, which never waits.
     */
    public Response awaitExpiry(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = get("/v1/transfers/" + id);
            if (last.status() == 200 && "EXPIRED".equals(last.json().path("status").asText())) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("transfer " + id + " did not expire; last: " + last);
    }

    private Response readNow(String path, Predicate<JsonNode> condition) {
        Response read = get(path);
        if (read.status() != 200 || !condition.test(read.json())) {
            throw new AssertionError(path + " does not show the acknowledged writes; read: " + read);
        }
        return read;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    public Response post(String path, String idempotencyKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request, null);
    }

    public Response send(HttpRequest.Builder request, String overrideAuthorization) {
        String authorization = overrideAuthorization != null ? overrideAuthorization : "Bearer " + apiKey;
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            return checked(built, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The response, once it is known to be one the served OpenAPI document describes
     * ({@link ApiContract}): every REST answer a test receives is checked against the contract.
     */
    public static Response checked(HttpRequest request, HttpResponse<String> response) {
        ApiContract.check(request.uri().getPort(), request.method(), request.uri(), response.statusCode(),
                response.headers().map(), response.body());
        return new Response(response.statusCode(), response.body(), response.headers().map());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
