package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.LedgerServiceIT;

/**
 * Shared helpers of the REST integration tests: request builders, problem-document checks and
 * the "nothing changed" proof used after every rejected request.
 *
 * <p>The proof never relies on timing: after the rejected request it posts a marker transfer on
 * each account that could have been touched (events of one account are projected in order) and
 * one last marker that the single-segment transfer projection must have seen (events of all
 * aggregates are projected in order there). Once those markers are visible, any trace the
 * rejected request left would be visible too.
 */
abstract class RestSupport extends LedgerServiceIT {
    protected static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1 only: used for requests whose framing matters (chunked bodies, raw headers). */
    protected static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final AtomicLong MARKERS = new AtomicLong();
    private static final Set<String> MARKER_ACCOUNTS = ConcurrentHashMap.newKeySet();

    // ---- requests ----

    protected static String key() {
        return "k-" + UUID.randomUUID();
    }

    /** A JSON object from alternating names and values (null values are left out). */
    protected static String json(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                map.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void open(LedgerClient c, String id, String currency, String kind, String overdraftLimit) {
        Response opened = c.openAccount(id, currency, kind, overdraftLimit);
        assertThat(opened.status()).as("open %s: %s", id, opened).isEqualTo(201);
    }

    /** Opens an unlimited ASSET source "cash-CCY" and the given liability accounts, all in one currency. */
    protected static void openBook(LedgerClient c, String currency, String... liabilities) {
        open(c, "cash-" + currency, currency, "ASSET", "unlimited");
        for (String id : liabilities) {
            open(c, id, currency, "LIABILITY", null);
        }
    }

    /** Moves {@code amount} from cash-CCY to a liability account and waits until both statements show it. */
    protected static void fund(LedgerClient c, String account, String amount, String currency) {
        String id = "fund-" + MARKERS.incrementAndGet();
        Response funded = c.transfer(key(), id, "cash-" + currency, account, amount, currency);
        assertThat(funded.status()).as(funded.toString()).isEqualTo(201);
        awaitStatementsHave(c, id, "cash-" + currency, account);
    }

    /** Waits until the statement of every account shows a line of the transfer. */
    protected static void awaitStatementsHave(LedgerClient c, String transferId, String... accounts) {
        for (String account : accounts) {
            awaitStatementHas(c, account, transferId);
        }
    }

    protected static Response transfer(LedgerClient c, String key, String id, String debit, String credit,
                                       String amount, String currency) {
        return c.transfer(key, id, debit, credit, amount, currency);
    }

    protected static Response pending(LedgerClient c, String key, String id, String debit, String credit,
                                      String amount, String currency, Long timeoutSeconds) {
        return c.post("/v1/transfers", key, json("id", id, "debitAccount", debit, "creditAccount", credit,
                "amount", amount, "currency", currency, "pending", true, "timeoutSeconds", timeoutSeconds));
    }

    protected static Response postPending(LedgerClient c, String key, String id, String amount) {
        return c.post("/v1/transfers/" + id + "/post", key, amount == null ? "{}" : json("amount", amount));
    }

    protected static Response voidPending(LedgerClient c, String key, String id) {
        return c.post("/v1/transfers/" + id + "/void", key, null);
    }

    /** Legs as alternating account, "debit"/"credit", amount. */
    protected static Response entry(LedgerClient c, String key, String id, String... legs) {
        List<Map<String, String>> list = new ArrayList<>();
        for (int i = 0; i < legs.length; i += 3) {
            list.add(Map.of("account", legs[i], legs[i + 1], legs[i + 2]));
        }
        return c.post("/v1/entries", key, json("id", id, "legs", list));
    }

    protected static Response freeze(LedgerClient c, String account) {
        return c.post("/v1/accounts/" + account + "/freeze", null, json("reason", "test"));
    }

    protected static Response unfreeze(LedgerClient c, String account) {
        return c.post("/v1/accounts/" + account + "/unfreeze", null, null);
    }

    protected static Response close(LedgerClient c, String account) {
        return c.post("/v1/accounts/" + account + "/close", null, null);
    }

    protected static Response statement(LedgerClient c, String account, Integer limit, String cursor) {
        StringBuilder path = new StringBuilder("/v1/accounts/" + account + "/entries");
        String sep = "?";
        if (limit != null) {
            path.append(sep).append("limit=").append(limit);
            sep = "&";
        }
        if (cursor != null) {
            path.append(sep).append("cursor=").append(cursor);
        }
        return c.get(path.toString());
    }

    /** All statement lines of an account (at most 1000), oldest first. */
    protected static List<JsonNode> lines(LedgerClient c, String account) {
        Response page = statement(c, account, 1000, null);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        page.json().get("entries").forEach(lines::add);
        return lines;
    }

    protected static List<JsonNode> awaitStatementHas(LedgerClient c, String account, String transferId) {
        return awaitLines(c, account, ls -> ls.stream().anyMatch(l -> transferId.equals(l.path("transferId").asText())));
    }

    protected static List<JsonNode> awaitLines(LedgerClient c, String account, Predicate<List<JsonNode>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<JsonNode> last = null;
        while (System.nanoTime() < deadline) {
            Response page = statement(c, account, 1000, null);
            if (page.status() == 200) {
                last = new ArrayList<>();
                page.json().get("entries").forEach(last::add);
                if (condition.test(last)) {
                    return last;
                }
            }
            pause(25);
        }
        throw new AssertionError("statement of " + account + " did not reach the expected state; last: " + last);
    }

    protected static Response trialBalance(LedgerClient c, String query) {
        return c.get("/v1/reports/trial-balance" + (query == null ? "" : "?" + query));
    }

    /** Issues a key of the caller's tenant with the roles and returns a client using it. */
    protected static LedgerClient withRoles(LedgerClient admin, String... roles) {
        Response issued = admin.post("/v1/api-keys", null, json("roles", Arrays.asList(roles)));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        return admin.withKey(issued.json().get("apiKey").asText());
    }

    /** Sends a request over HTTP/1.1 with exactly the given headers (plus the caller's key unless overridden). */
    protected static Response raw(LedgerClient c, HttpRequest.Builder request) {
        request.header("Authorization", "Bearer " + c.apiKey());
        return send(request);
    }

    protected static Response send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            return LedgerClient.checked(built, HTTP11.send(built, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- problem documents ----

    /** An RFC 9457 problem document with the status and stable code, and every required member. */
    protected static JsonNode assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("content type of " + response)
                .startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("code").asText()).as(response.toString()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).as(response.toString()).isEqualTo(status);
        assertThat(problem.path("type").asText()).as(response.toString()).isNotBlank();
        assertThat(problem.path("title").asText()).as(response.toString()).isNotBlank();
        assertThat(problem.path("detail").asText()).as(response.toString()).isNotBlank();
        return problem;
    }

    /** A field that is null or left out. */
    protected static boolean absent(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode();
    }

    /** The problem's detail names each of the words, so a client can tell what to fix. */
    protected static void detailMentions(JsonNode problem, String... words) {
        assertThat(problem.path("detail").asText()).as(problem.toString()).contains(words);
    }

    // ---- "nothing changed" ----

    protected record AccountState(String id, JsonNode account, List<JsonNode> lines) {
    }

    /** The current read model of the accounts (the caller has awaited the movements of its setup). */
    protected static List<AccountState> snapshot(LedgerClient c, String... accounts) {
        List<AccountState> states = new ArrayList<>();
        for (String id : accounts) {
            Response account = c.awaitAccount(id, a -> true);
            states.add(new AccountState(id, account.json(), lines(c, id)));
        }
        return states;
    }

    /**
     * Proves that nothing happened to the accounts since {@code before} and that none of
     * {@code absentTransfers} exists. Open accounts get a one-minor-unit marker transfer each; their
     * statement must then be exactly the earlier one plus the marker. A last marker must be seen by
     * the transfer projection, which handles all events in order: then a transfer the rejected
     * request created would be visible. Accounts that are not open are compared after that.
     */
    protected static void assertUnchanged(LedgerClient c, List<AccountState> before, String... absentTransfers) {
        Map<String, String> markers = new LinkedHashMap<>();
        for (AccountState state : before) {
            if (!"OPEN".equals(state.account().path("status").asText())) {
                continue;
            }
            String currency = state.account().get("currency").asText();
            String marker = ensureMarkerAccount(c, "marker-" + currency, currency);
            String unit = oneMinorUnit(state.account().get("balance").asText());
            String markerId = "marker-" + MARKERS.incrementAndGet();
            String kind = state.account().get("kind").asText();
            boolean debitNormal = "ASSET".equals(kind) || "EXPENSE".equals(kind);
            Response posted = debitNormal
                    ? c.transfer(key(), markerId, state.id(), marker, unit, currency)
                    : c.transfer(key(), markerId, marker, state.id(), unit, currency);
            assertThat(posted.status()).as("marker on %s: %s", state.id(), posted).isEqualTo(201);
            markers.put(state.id(), markerId);
        }
        String last = "marker-" + MARKERS.incrementAndGet();
        Response posted = c.transfer(key(), last, ensureMarkerAccount(c, "marker-EUR", "EUR"),
                ensureMarkerAccount(c, "marker2-EUR", "EUR"), "0.01", "EUR");
        assertThat(posted.status()).as(posted.toString()).isEqualTo(201);

        c.awaitTransfer(last, t -> "POSTED".equals(t.path("status").asText()));
        for (String id : absentTransfers) {
            assertProblem(c.get("/v1/transfers/" + id), 404, "transfer_not_found");
        }
        for (AccountState state : before) {
            String markerId = markers.get(state.id());
            if (markerId == null) {
                continue;
            }
            String unit = oneMinorUnit(state.account().get("balance").asText());
            List<JsonNode> after = awaitStatementHas(c, state.id(), markerId);
            assertThat(after).as("statement of %s: the earlier lines plus the marker only", state.id())
                    .hasSize(state.lines().size() + 1);
            assertThat(after.subList(0, state.lines().size())).as("statement of " + state.id())
                    .isEqualTo(state.lines());
            assertThat(after.get(after.size() - 1).get("transferId").asText()).isEqualTo(markerId);
            // the balance row is written with the statement line, in one transaction
            JsonNode now = c.account(state.id()).json();
            assertThat(now.get("balance").asText()).as("balance of " + state.id())
                    .isEqualTo(plus(state.account().get("balance").asText(), unit));
            assertThat(now.get("available").asText()).as("available of " + state.id())
                    .isEqualTo(plus(state.account().get("available").asText(), unit));
            for (String field : List.of("status", "currency", "debitsPending", "creditsPending")) {
                assertThat(now.get(field)).as("%s of %s", field, state.id()).isEqualTo(state.account().get(field));
            }
        }
        for (AccountState state : before) {
            if (markers.containsKey(state.id())) {
                continue;
            }
            assertThat(lines(c, state.id())).as("statement of " + state.id()).isEqualTo(state.lines());
            JsonNode now = c.account(state.id()).json();
            for (String field : List.of("status", "balance", "available", "debitsPosted", "creditsPosted",
                    "debitsPending", "creditsPending")) {
                assertThat(now.get(field)).as("%s of %s", field, state.id()).isEqualTo(state.account().get(field));
            }
        }
    }

    /** Opens an unlimited ASSET marker account once per tenant (the command side needs no projection). */
    private static String ensureMarkerAccount(LedgerClient c, String id, String currency) {
        if (MARKER_ACCOUNTS.add(c.tenant() + "/" + id)) {
            Response opened = c.openAccount(id, currency, "ASSET", "unlimited");
            assertThat(opened.status()).as(opened.toString()).isIn(201, 409);
        }
        return id;
    }

    /** "0.01" for "12.34", "1" for "500", "0.001" for "1.000": one minor unit at the amount's scale. */
    protected static String oneMinorUnit(String sample) {
        return BigDecimal.ONE.movePointLeft(new BigDecimal(sample).scale()).toPlainString();
    }

    protected static String plus(String a, String b) {
        BigDecimal x = new BigDecimal(a);
        return x.add(new BigDecimal(b)).setScale(x.scale()).toPlainString();
    }

    protected static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
