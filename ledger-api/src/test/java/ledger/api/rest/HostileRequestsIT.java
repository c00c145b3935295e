package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * The project's own corpus of hostile requests (well over 200): malformed, deeply nested and
 * duplicate-key JSON, numbers in every odd notation, unicode tricks, injection strings, oversized
 * bodies and headers, wrong content types and methods, replays and reorderings, another tenant's
 * ids, broken credentials. Each is answered 4xx with a problem document and a stable code, and none
 * changes anything: the books of both tenants are the same afterwards.
 */
class HostileRequestsIT extends RestSupport {
    private static final Set<Integer> BAD_REQUEST = Set.of(400);
    private static final Set<Integer> INVALID = Set.of(400, 422);

    private record Case(String name, Supplier<Response> send, Set<Integer> statuses, String code) {
    }

    @Test
    void everyHostileRequestIsRefusedWithAProblemAndChangesNothing() {
        LedgerClient c = newTenant("hostile");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "100.00", "EUR");
        assertThat(transfer(c, "used-key", "t-used", "wallet", "shop", "1.00", "EUR").status()).isEqualTo(201);
        LedgerClient victim = newTenant("victim");
        openBook(victim, "EUR", "vault");
        fund(victim, "vault", "50.00", "EUR");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop");
        List<AccountState> victimBefore = snapshot(victim, "cash-EUR", "vault");

        List<Case> corpus = new ArrayList<>();
        malformedJson(c, corpus);
        oddAmounts(c, corpus);
        trickyIds(c, corpus);
        oversized(c, corpus);
        wrongTypesAndMethods(c, corpus);
        refusedByTheServer(c, corpus);
        replaysAndReorderings(c, corpus);
        otherTenantsIds(c, corpus);
        credentials(c, corpus);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);

        List<String> failures = new ArrayList<>();
        for (Case hostile : corpus) {
            Response r;
            try {
                r = hostile.send().get();
            } catch (RuntimeException e) {
                failures.add(hostile.name() + ": no answer (" + e + ")");
                continue;
            }
            String why = check(hostile, r);
            if (why != null) {
                failures.add(hostile.name() + ": " + why + " — " + abbreviate(r.toString()));
            }
            if (c.get("/v1/transfers/t-hostile").status() != 404) { // stop at the first that changed something
                failures.add(hostile.name() + ": created t-hostile although answered " + r.status());
                break;
            }
        }
        assertThat(failures).as("%d hostile requests", corpus.size()).isEmpty();
        assertUnchanged(c, before, "t-hostile", "t-used-2");
        assertUnchanged(victim, victimBefore);
    }

    private static String check(Case hostile, Response r) {
        if (!hostile.statuses().contains(r.status())) {
            return "status " + r.status() + ", expected one of " + hostile.statuses();
        }
        String type = r.header("Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return "content type " + type;
        }
        JsonNode problem;
        try {
            problem = r.json();
        } catch (RuntimeException e) {
            return "not JSON";
        }
        String code = problem.path("code").asText("");
        if (code.isEmpty() || problem.path("detail").asText("").isEmpty()) {
            return "no code or detail";
        }
        if (hostile.code() != null && !hostile.code().equals(code)) {
            return "code " + code + ", expected " + hostile.code();
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    // ---------------------------------------------------------------- the corpus

    private static String body(String amount) {
        return "{\"id\":\"t-hostile\",\"debitAccount\":\"wallet\",\"creditAccount\":\"shop\",\"amount\":" + amount
                + ",\"currency\":\"EUR\"}";
    }

    private static Supplier<Response> post(LedgerClient c, String path, String body) {
        return () -> c.post(path, key(), body);
    }

    private static void malformedJson(LedgerClient c, List<Case> corpus) {
        List<String> bodies = List.of("", " ", "{", "}", "[", "[]", "null", "true", "42", "\"text\"", "{\"id\":}",
                "{\"id\" \"t\"}", "{'id':'t-hostile'}", "{\"id\":\"t-hostile\",}", "{\"id\":\"t-hostile\"} {}",
                "{\"id\":\"t-hostile\"}garbage", "/* c */ {\"id\":\"t\"}", "{\"id\":\"t\" // c\n}", "{\"id\":NaN}",
                "{\"id\":\"\\u12\"}", "{\"id\":\"\\x41\"}", "{\"id\":\"t\u0000\"}", "\uFEFF{\"id\":\"t\"}",
                "{\"amount\":\"1.00\",\"amount\":\"9.00\"}", body("\"1.00\"").replace("\"currency\"", "\"id\":\"x\",\"currency\""),
                body("\"1.00\"").replace("\"EUR\"", "[\"EUR\"]"), body("\"1.00\"").replace("\"EUR\"", "{\"code\":\"EUR\"}"),
                body("\"1.00\"").replace("\"wallet\"", "null"), body("\"1.00\"").replace("\"wallet\"", "12"),
                body("\"1.00\"").replace("}", ",\"unknown\":1}"), body("\"1.00\"").replace("}", ",\"pending\":\"yes\"}"),
                body("\"1.00\"").replace("}", ",\"timeoutSeconds\":\"10\"}"),
                body("\"1.00\"").replace("}", ",\"metadata\":[1,2]}"),
                body("\"1.00\"").replace("}", ",\"metadata\":{\"k\":{\"nested\":1}}}"),
                "{".repeat(5000) + "}".repeat(5000), "[".repeat(5000) + "]".repeat(5000),
                "{\"id\":" + "[".repeat(2000) + "]".repeat(2000) + "}");
        for (int i = 0; i < bodies.size(); i++) {
            corpus.add(new Case("malformed json #" + i, post(c, "/v1/transfers", bodies.get(i)), BAD_REQUEST, null));
        }
        corpus.add(new Case("duplicate key in an entry", post(c, "/v1/entries",
                "{\"id\":\"t-hostile\",\"id\":\"t-other\",\"legs\":[]}"), BAD_REQUEST, "validation_failed"));
        corpus.add(new Case("malformed account body", post(c, "/v1/accounts", "{\"id\":\"a\",\"currency\":EUR}"),
                BAD_REQUEST, "validation_failed"));
    }

    private static void oddAmounts(LedgerClient c, List<Case> corpus) {
        List<String> amounts = List.of("1e2", "1E2", "1.0e1", "0x10", "0b1", "0o7", "1_000", "1,000.00", "1 000",
                "+5", "-5", "-0.01", "0", "0.00", "-0", "00.0", ".5", "5.", "1.2.3", "1.001", "0.001",
                "1000000000000000000000", "9999999999999999.99", "Infinity", "-Infinity", "NaN", "nan", "  1.00",
                "1.00 ", "1.00\n", "\u0661.\u0660\u0660", "\uFF11.00", "1\u00A000", "1.00\u200B", "１", "one",
                "", "$1.00", "1.00EUR", "1/2", "0.1+0.2", "1e-2", "1.00e0", "1.", "∞", "1,5");
        for (String amount : amounts) {
            corpus.add(new Case("amount \"" + amount + "\"", post(c, "/v1/transfers",
                    body("\"" + amount.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"")),
                    INVALID, null));
        }
        for (String number : List.of("1", "1.5", "1e2", "-1", "0", "true", "null", "[]", "{}")) {
            corpus.add(new Case("amount as JSON " + number, post(c, "/v1/transfers", body(number)), INVALID, null));
        }
        for (String amount : List.of("1e2", "-1.00", "0", "1.001", "abc", "NaN")) {
            corpus.add(new Case("entry leg " + amount, post(c, "/v1/entries", "{\"id\":\"t-hostile\",\"legs\":["
                    + "{\"account\":\"wallet\",\"debit\":\"" + amount + "\"},{\"account\":\"shop\",\"credit\":\"" + amount
                    + "\"}]}"), INVALID, null));
            corpus.add(new Case("post pending amount " + amount, post(c, "/v1/transfers/t-used/post",
                    "{\"amount\":\"" + amount + "\"}"), Set.of(400, 409, 422), null));
        }
        for (String currency : List.of("eur", "EURO", "XXX", "ABC", "€", "E", "", "EUR ", "US$", "XAU1", "1234",
                "ＥＵＲ")) {
            corpus.add(new Case("currency \"" + currency + "\"", post(c, "/v1/transfers",
                    body("\"1.00\"").replace("\"EUR\"", "\"" + currency + "\"")), INVALID, null));
        }
    }

    private static void trickyIds(LedgerClient c, List<Case> corpus) {
        List<String> ids = List.of("", " ", "t hostile", "t/hostile", "../../etc/passwd", "t-hostile\u202E",
                "t\u200Dhostile", "t\u0000", "tеst" /* Cyrillic e */, "t\uD83D\uDE00", "x".repeat(129),
                "'; DROP TABLE account_line; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "%00",
                "t%2Fhostile", "t\\hostile", "t\"hostile", "t\nhostile", "t\thostile", "ǅ", "Ω", "t#1", "t?x=1",
                "t*", "t|x");
        for (String id : ids) {
            String json = id.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
                    .replace("\u0000", "\\u0000");
            corpus.add(new Case("transfer id \"" + id + "\"", post(c, "/v1/transfers",
                    body("\"1.00\"").replace("\"t-hostile\"", "\"" + json + "\"")), INVALID, null));
            corpus.add(new Case("account id \"" + id + "\"", post(c, "/v1/transfers",
                    body("\"1.00\"").replace("\"shop\"", "\"" + json + "\"")), Set.of(400, 404, 422), null));
        }
        for (String path : List.of("/v1/accounts/%20", "/v1/accounts/a%2Fb", "/v1/accounts/..%2F..",
                "/v1/accounts/x%00", "/v1/transfers/%3Cscript%3E", "/v1/accounts/" + "a".repeat(200))) {
            corpus.add(new Case("path " + path, () -> c.get(path), Set.of(400, 404), null));
        }
        String tooMany = new StringBuilder("{").append(String.join(",", java.util.stream.IntStream.range(0, 33)
                .mapToObj(i -> "\"k" + i + "\":\"v\"").toList())).append("}").toString();
        corpus.add(new Case("33 metadata entries", post(c, "/v1/transfers",
                body("\"1.00\"").replace("}", ",\"metadata\":" + tooMany + "}")), INVALID, null));
        corpus.add(new Case("metadata key too long", post(c, "/v1/transfers",
                body("\"1.00\"").replace("}", ",\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}}")), INVALID, null));
        corpus.add(new Case("metadata value too long", post(c, "/v1/transfers",
                body("\"1.00\"").replace("}", ",\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}}")), INVALID, null));
    }

    private static void oversized(LedgerClient c, List<Case> corpus) {
        String big = body("\"1.00\"").replace("}", ",\"metadata\":{\"k\":\"" + "x".repeat(1_100_000) + "\"}}");
        corpus.add(new Case("body over 1 MiB", post(c, "/v1/transfers", big), Set.of(413), "validation_failed"));
        corpus.add(new Case("header over the limit", () -> raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key())
                .header("X-Pad", "p".repeat(40_000)).POST(HttpRequest.BodyPublishers.ofString(body("\"1.00\"")))),
                Set.of(400, 431), null));
        corpus.add(new Case("many headers", () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(c.uri("/v1/transfers"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", key());
            for (int i = 0; i < 300; i++) {
                request.header("X-H" + i, "v".repeat(60));
            }
            return raw(c, request.POST(HttpRequest.BodyPublishers.ofString(body("\"1.00\""))));
        }, Set.of(400, 431), null));
        corpus.add(new Case("idempotency key of 256 characters", () -> c.post("/v1/transfers", "k".repeat(256),
                body("\"1.00\"")), BAD_REQUEST, "validation_failed"));
        corpus.add(new Case("idempotency key with a space", () -> c.post("/v1/transfers", "a key", body("\"1.00\"")),
                BAD_REQUEST, "validation_failed"));
        corpus.add(new Case("idempotency key with a tab", () -> raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "a\tkey")
                .POST(HttpRequest.BodyPublishers.ofString(body("\"1.00\"")))), BAD_REQUEST, "validation_failed"));
        corpus.add(new Case("an entry with 1,000 legs", post(c, "/v1/entries", "{\"id\":\"t-hostile\",\"legs\":["
                + String.join(",", java.util.Collections.nCopies(1000, "{\"account\":\"wallet\",\"debit\":\"0.01\"}"))
                + "]}"), INVALID, null));
        corpus.add(new Case("statement limit 1,000,000", () -> c.get("/v1/accounts/wallet/entries?limit=1000000"),
                BAD_REQUEST, "validation_failed"));
        corpus.add(new Case("statement limit -1", () -> c.get("/v1/accounts/wallet/entries?limit=-1"),
                BAD_REQUEST, "validation_failed"));
        corpus.add(new Case("statement cursor garbage", () -> c.get("/v1/accounts/wallet/entries?cursor=%27or1=1"),
                BAD_REQUEST, "validation_failed"));
        corpus.add(new Case("asOf garbage", () -> c.get("/v1/accounts/wallet?asOf=yesterday"), BAD_REQUEST,
                "validation_failed"));
        corpus.add(new Case("asOf far future overflow", () -> c.get("/v1/accounts/wallet?asOf=99999-01-01T00:00:00Z"),
                BAD_REQUEST, "validation_failed"));
    }

    private static void wrongTypesAndMethods(LedgerClient c, List<Case> corpus) {
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/octet-stream", "text/json", "text/html",
                "application/yaml", "application/x-yaml", "application/json-patch+json", "application/merge-patch+json",
                "application/problem+json", "application/vnd.api+json")) {
            corpus.add(new Case("content type " + type, () -> raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                    .header("Content-Type", type).header("Idempotency-Key", key())
                    .POST(HttpRequest.BodyPublishers.ofString(body("\"1.00\"")))), Set.of(415), "validation_failed"));
        }
        corpus.add(new Case("no content type", () -> raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Idempotency-Key", key()).POST(HttpRequest.BodyPublishers.ofByteArray(
                        body("\"1.00\"").getBytes(StandardCharsets.UTF_8)))), Set.of(400, 415), null));
        corpus.add(new Case("latin-1 body declared UTF-8", () -> raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body("\"1.00\"").replace("t-hostile", "t-hös")
                        .getBytes(StandardCharsets.ISO_8859_1)))), INVALID, null));
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/v1/transfers", "/v1/accounts", "/v1/entries", "/v1/transfers/t-used",
                    "/v1/accounts/wallet")) {
                if (method.equals("PATCH") && path.equals("/v1/accounts/wallet")) {
                    continue; // PATCH /v1/accounts/{id} changes an account (AccountUpdatesIT): below
                }
                corpus.add(new Case(method + " " + path, () -> c.send(HttpRequest.newBuilder(c.uri(path))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")), null), Set.of(405), null));
            }
        }
        corpus.add(new Case("PATCH of an account with nothing to change", () -> c.send(HttpRequest.newBuilder(
                c.uri("/v1/accounts/wallet")).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")), null), Set.of(400), "validation_failed"));
        corpus.add(new Case("GET of a POST-only path", () -> c.get("/v1/entries"), Set.of(405), null));
        corpus.add(new Case("unknown path", () -> c.get("/v1/ledger/../admin"), Set.of(400, 404), null));
    }

    private static void replaysAndReorderings(LedgerClient c, List<Case> corpus) {
        corpus.add(new Case("a used key with another body", () -> c.transfer("used-key", "t-used-2", "wallet", "shop",
                "2.00", "EUR"), Set.of(409), "idempotency_conflict"));
        // the same id and content under another key is the same transfer (RetriesByIdIT); other content is refused
        corpus.add(new Case("a used id with another key and amount", () -> c.transfer(key(), "t-used", "wallet", "shop",
                "1.01", "EUR"), Set.of(409), "transfer_id_conflict"));
        corpus.add(new Case("post of a posted transfer", post(c, "/v1/transfers/t-used/post", "{}"), Set.of(409),
                "transfer_not_pending"));
        corpus.add(new Case("void of a posted transfer", () -> c.post("/v1/transfers/t-used/void", key(), null),
                Set.of(409), "transfer_not_pending"));
        corpus.add(new Case("post before the transfer exists", post(c, "/v1/transfers/t-later/post", "{}"),
                Set.of(404), "transfer_not_found"));
        corpus.add(new Case("void before the transfer exists", () -> c.post("/v1/transfers/t-later/void", key(), null),
                Set.of(404), "transfer_not_found"));
        corpus.add(new Case("overdraft", () -> c.transfer(key(), "t-hostile", "wallet", "shop", "1000.00", "EUR"),
                Set.of(422), "insufficient_funds"));
        corpus.add(new Case("the same account on both sides", () -> c.transfer(key(), "t-hostile", "wallet", "wallet",
                "1.00", "EUR"), INVALID, null));
        corpus.add(new Case("open an existing account", () -> c.openAccount("wallet", "EUR", "LIABILITY", null),
                Set.of(409), "duplicate_id"));
        corpus.add(new Case("unbalanced entry", post(c, "/v1/entries", "{\"id\":\"t-hostile\",\"legs\":["
                + "{\"account\":\"wallet\",\"debit\":\"1.00\"},{\"account\":\"shop\",\"credit\":\"2.00\"}]}"),
                Set.of(422), "unbalanced_entry"));
        corpus.add(new Case("close an account with money", () -> c.post("/v1/accounts/wallet/close", null, null),
                Set.of(409), "account_not_empty"));
        corpus.add(new Case("pending with a timeout of 0", post(c, "/v1/transfers", body("\"1.00\"")
                .replace("}", ",\"pending\":true,\"timeoutSeconds\":0}")), INVALID, null));
        corpus.add(new Case("timeout without pending", post(c, "/v1/transfers", body("\"1.00\"")
                .replace("}", ",\"timeoutSeconds\":10}")), INVALID, null));
    }

    private static void otherTenantsIds(LedgerClient c, List<Case> corpus) {
        corpus.add(new Case("read another tenant's account", () -> c.get("/v1/accounts/vault"), Set.of(404),
                "account_not_found"));
        corpus.add(new Case("debit another tenant's account", () -> c.transfer(key(), "t-hostile", "vault", "shop",
                "1.00", "EUR"), Set.of(404), "account_not_found"));
        corpus.add(new Case("credit another tenant's account", () -> c.transfer(key(), "t-hostile", "wallet", "vault",
                "1.00", "EUR"), Set.of(404), "account_not_found"));
        corpus.add(new Case("statement of another tenant's account", () -> c.get("/v1/accounts/vault/entries"),
                Set.of(404), "account_not_found"));
        corpus.add(new Case("freeze another tenant's account", () -> c.post("/v1/accounts/vault/freeze", null, "{}"),
                Set.of(404), "account_not_found"));
        corpus.add(new Case("create a tenant without the operator role", post(c, "/v1/tenants", "{\"id\":\"evil\"}"),
                Set.of(403), "forbidden"));
    }

    private static void credentials(LedgerClient c, List<Case> corpus) {
        List<String> headers = List.of("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer wrong-key-0123456789",
                "Bearer " + c.apiKey() + "x", "bearer" + c.apiKey(), "Token " + c.apiKey(), "Bearer " + "k".repeat(5000),
                "Bearer \u0000", "Bearer ' OR '1'='1");
        for (String header : headers) {
            corpus.add(new Case("authorization \"" + abbreviate(header) + "\"", () -> send(HttpRequest.newBuilder(
                            c.uri("/v1/transfers")).header("Content-Type", "application/json")
                    .header("Idempotency-Key", key()).headers(header.isEmpty() || header.contains("\u0000")
                            ? new String[] {"X-None", "1"} : new String[] {"Authorization", header})
                    .POST(HttpRequest.BodyPublishers.ofString(body("\"1.00\"")))), Set.of(401), "unauthorized"));
        }
    }

    /**
     * Requests the HTTP server refuses before any of the service's code runs (the request line, the
     * URI, the header block, the framing of the body), written byte for byte on a socket because an
     * HTTP client will not send them: they too get a problem document, not the server's HTML page.
     */
    private static void refusedByTheServer(LedgerClient c, List<Case> corpus) {
        String auth = "Authorization: Bearer " + c.apiKey() + "\r\n";
        String json = body("\"1.00\"");
        String post = "POST /v1/transfers HTTP/1.1\r\nHost: ledger\r\n" + auth + "Content-Type: application/json\r\n"
                + "Idempotency-Key: " + key() + "\r\n";
        Map<String, String> requests = new java.util.LinkedHashMap<>();
        requests.put("garbage request line", "GARBAGE\r\n\r\n");
        requests.put("method with a forbidden character", "G@T /v1/accounts HTTP/1.1\r\nHost: ledger\r\n\r\n");
        requests.put("control character in the URI", "GET /v1/accounts/a\u0001b HTTP/1.1\r\nHost: ledger\r\n\r\n");
        requests.put("'|' in the URI", "GET /v1/accounts/a|b HTTP/1.1\r\nHost: ledger\r\n\r\n");
        requests.put("'{' in the URI", "GET /v1/accounts/{wallet} HTTP/1.1\r\nHost: ledger\r\n\r\n");
        requests.put("encoded slash in the URI", "GET /v1/accounts/a%2Fb HTTP/1.1\r\nHost: ledger\r\n" + auth + "\r\n");
        requests.put("encoded NUL in the URI", "GET /v1/accounts/a%00b HTTP/1.1\r\nHost: ledger\r\n" + auth + "\r\n");
        requests.put("dot segments escaping the root", "GET /../../etc/passwd HTTP/1.1\r\nHost: ledger\r\n\r\n");
        requests.put("HTTP/1.1 without Host", "GET /v1/accounts HTTP/1.1\r\n" + auth + "\r\n");
        requests.put("two Host headers", "GET /v1/accounts HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + auth + "\r\n");
        requests.put("header line without a colon", "GET /v1/accounts HTTP/1.1\r\nHost: ledger\r\nNoColon\r\n\r\n");
        requests.put("space in a header name", "GET /v1/accounts HTTP/1.1\r\nHost: ledger\r\nBad Name: x\r\n\r\n");
        requests.put("Content-Length not a number", post + "Content-Length: ten\r\n\r\n" + json);
        requests.put("two different Content-Lengths", post + "Content-Length: " + json.length() + "\r\nContent-Length: 3\r\n\r\n"
                + json);
        requests.put("malformed chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + json + "\r\n0\r\n\r\n");
        requests.put("TRACE", "TRACE /v1/accounts HTTP/1.1\r\nHost: ledger\r\n" + auth + "\r\n");
        requests.put("TRACE without credentials", "TRACE /actuator/health HTTP/1.1\r\nHost: ledger\r\n\r\n");
        Map<String, Set<Integer>> statuses = Map.of("TRACE", Set.of(405), "TRACE without credentials", Set.of(405),
                "dot segments escaping the root", Set.of(400, 404));
        corpus.add(new Case("the container's error page asked for by name", () -> c.get("/error"), Set.of(404),
                "not_found"));
        requests.forEach((name, request) -> corpus.add(new Case("sent raw: " + name,
                () -> overSocket(c.port(), request), statuses.getOrDefault(name, BAD_REQUEST), null)));
    }

    /** Writes {@code request} as it is (ISO-8859-1) on a new connection and reads the answer to its end. */
    private static Response overSocket(int port, String request) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IllegalStateException("no status line: " + statusLine);
            }
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).trim());
            }
            List<String> length = headers.get("Content-Length");
            boolean chunked = String.valueOf(headers.get("Transfer-Encoding")).contains("chunked");
            byte[] body = chunked ? chunks(in)
                    : length != null ? in.readNBytes(Integer.parseInt(length.get(0))) : in.readAllBytes();
            return new Response(Integer.parseInt(parts[1]), new String(body, StandardCharsets.UTF_8), headers);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] chunks(java.io.InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
             size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line(in); // the CRLF after the chunk
        }
        return body.toByteArray();
    }

    private static String line(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new java.io.EOFException("the connection ended inside the head: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
