package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/** Malformed, incomplete, oversized, unauthenticated and unauthorised requests are refused and change nothing. */
class RequestValidationIT extends RestSupport {
    private static final int MIB = 1024 * 1024;

    private static String transferBody(String id, String extra) {
        return "{\"id\":\"" + id + "\",\"debitAccount\":\"cash-EUR\",\"creditAccount\":\"wallet\","
                + "\"amount\":\"1.00\",\"currency\":\"EUR\"" + extra + "}";
    }

    @Test
    void malformedJsonIsAValidationFailure() {
        LedgerClient c = newTenant("val-json");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        for (String body : List.of("{\"id\":\"t-1\",", "not json", "[1,2]", "\"t-1\"", "null", "{\"id\":\"t-1\"}}",
                "{\"id\":\"t-1\",\"id\":\"t-2\",\"debitAccount\":\"cash-EUR\",\"creditAccount\":\"wallet\","
                        + "\"amount\":\"1.00\",\"currency\":\"EUR\"}")) {
            assertProblem(c.post("/v1/transfers", key(), body), 400, "validation_failed");
        }
        assertProblem(c.post("/v1/accounts", null, "{\"id\":"), 400, "validation_failed");
        // identifiers: letters, digits and . _ : @ -, at most 128 characters
        assertProblem(transfer(c, key(), "t 1", "cash-EUR", "wallet", "1.00", "EUR"), 400, "validation_failed");
        assertProblem(transfer(c, key(), "t".repeat(129), "cash-EUR", "wallet", "1.00", "EUR"), 400,
                "validation_failed");
        assertProblem(c.openAccount("a/b", "EUR", "ASSET", null), 400, "validation_failed");
        assertProblem(c.post("/v1/entries", key(), "{\"id\":\"e-1\",\"legs\":{}}"), 400, "validation_failed");

        assertUnchanged(c, before, "t-1", "t-2", "e-1");
    }

    @Test
    void trailingContentAfterTheJsonObjectIsAValidationFailure() {
        LedgerClient c = newTenant("val-trail");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        assertProblem(c.post("/v1/transfers", key(), transferBody("t-1", "") + " garbage"), 400, "validation_failed");
        assertProblem(c.post("/v1/transfers", key(), transferBody("t-2", "") + transferBody("t-3", "")),
                400, "validation_failed");

        assertUnchanged(c, before, "t-1", "t-2", "t-3");
    }

    @Test
    void unknownFieldIsAValidationFailureNamingIt() {
        LedgerClient c = newTenant("val-unknown");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        detailMentions(assertProblem(c.post("/v1/transfers", key(), transferBody("t-1", ",\"fee\":\"0.10\"")),
                400, "validation_failed"), "fee");
        detailMentions(assertProblem(c.post("/v1/transfers/t-1/post", key(), "{\"amont\":\"1.00\"}"),
                400, "validation_failed"), "amont");
        detailMentions(assertProblem(c.post("/v1/accounts", null,
                "{\"id\":\"x\",\"currency\":\"EUR\",\"kind\":\"ASSET\",\"color\":\"red\"}"), 400, "validation_failed"),
                "color");

        assertUnchanged(c, before, "t-1");
        assertProblem(c.account("x"), 404, "account_not_found");
    }

    @Test
    void theIdsSettlementsDeriveForTheirPostingsAreRefusedToClients() {
        LedgerClient c = newTenant("val-fx-ids");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");
        for (String id : new String[] {"s-1:fx-reserve", "s-1:fx-destination", "s-1:fx-reversal"}) {
            detailMentions(assertProblem(c.post("/v1/transfers", key(), "{\"id\":\"" + id
                    + "\",\"debitAccount\":\"cash-EUR\",\"creditAccount\":\"wallet\",\"amount\":\"1.00\","
                    + "\"currency\":\"EUR\"}"), 400, "validation_failed"), "settlements");
            detailMentions(assertProblem(c.post("/v1/entries", key(), "{\"id\":\"" + id + "\",\"legs\":["
                    + "{\"account\":\"cash-EUR\",\"debit\":\"1.00\"},{\"account\":\"wallet\",\"credit\":\"1.00\"}]}"),
                    400, "validation_failed"), "settlements");
        }
        assertUnchanged(c, before, "s-1:fx-reserve");
        // a suffix elsewhere in the id is an ordinary id
        assertThat(c.transfer(key(), "s-1:fx-reserve-2", "cash-EUR", "wallet", "1.00", "EUR").status()).isEqualTo(201);
    }

    @Test
    void missingFieldIsAValidationFailureNamingIt() {
        LedgerClient c = newTenant("val-missing");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        String[][] cases = {
                {"amount", "{\"id\":\"t-1\",\"debitAccount\":\"cash-EUR\",\"creditAccount\":\"wallet\",\"currency\":\"EUR\"}"},
                {"currency", "{\"id\":\"t-1\",\"debitAccount\":\"cash-EUR\",\"creditAccount\":\"wallet\",\"amount\":\"1.00\"}"},
                {"debitAccount", "{\"id\":\"t-1\",\"creditAccount\":\"wallet\",\"amount\":\"1.00\",\"currency\":\"EUR\"}"},
                {"creditAccount", "{\"id\":\"t-1\",\"debitAccount\":\"cash-EUR\",\"amount\":\"1.00\",\"currency\":\"EUR\"}"},
                {"id", "{\"debitAccount\":\"cash-EUR\",\"creditAccount\":\"wallet\",\"amount\":\"1.00\",\"currency\":\"EUR\"}"},
        };
        for (String[] missing : cases) {
            detailMentions(assertProblem(c.post("/v1/transfers", key(), missing[1]), 400, "validation_failed"),
                    missing[0]);
        }
        detailMentions(assertProblem(c.post("/v1/transfers", key(), null), 400, "validation_failed"), "body");
        detailMentions(assertProblem(c.post("/v1/entries", key(), "{\"id\":\"e-1\"}"), 400, "validation_failed"),
                "legs");
        detailMentions(assertProblem(c.post("/v1/accounts", null, "{\"id\":\"x\",\"currency\":\"EUR\"}"),
                400, "validation_failed"), "kind");

        assertUnchanged(c, before, "t-1", "e-1");
    }

    @Test
    void moneyMovingPostsRequireAnIdempotencyKey() {
        LedgerClient c = newTenant("val-key");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "10.00", "EUR");
        assertThat(pending(c, key(), "hold", "wallet", "shop", "4.00", "EUR", null).status()).isEqualTo(201);
        awaitStatementsHave(c, "hold", "wallet", "shop");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop");

        detailMentions(assertProblem(c.post("/v1/transfers", null, transferBody("t-1", "")), 400,
                "validation_failed"), "Idempotency-Key");
        assertProblem(c.post("/v1/entries", null, "{\"id\":\"e-1\",\"legs\":[{\"account\":\"cash-EUR\","
                + "\"debit\":\"1.00\"},{\"account\":\"wallet\",\"credit\":\"1.00\"}]}"), 400, "validation_failed");
        assertProblem(postPending(c, null, "hold", null), 400, "validation_failed");
        assertProblem(voidPending(c, null, "hold"), 400, "validation_failed");
        // a key that is not 1 to 255 visible ASCII characters
        assertProblem(c.post("/v1/transfers", "k".repeat(256), transferBody("t-2", "")), 400, "validation_failed");

        assertUnchanged(c, before, "t-1", "e-1", "t-2");
        assertThat(c.get("/v1/transfers/hold").json().get("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void bodyOverOneMebibyteIsRefusedWith413WithContentLength() {
        LedgerClient c = newTenant("val-big");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        byte[] body = bigTransfer("t-big").getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(MIB);
        Response r = raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertProblem(r, 413, "validation_failed");

        assertUnchanged(c, before, "t-big");
    }

    @Test
    void bodyOverOneMebibyteIsRefusedWith413WhenChunked() {
        LedgerClient c = newTenant("val-chunk");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        byte[] body = bigTransfer("t-big").getBytes(StandardCharsets.UTF_8);
        // an input-stream publisher has no known length: sent with Transfer-Encoding: chunked
        Response r = raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertProblem(r, 413, "validation_failed");

        // a chunked body under the limit is read normally
        byte[] small = transferBody("t-small", "").getBytes(StandardCharsets.UTF_8);
        Response ok = raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        awaitStatementsHave(c, "t-small", "cash-EUR", "wallet");
        before = snapshot(c, "cash-EUR", "wallet");

        assertUnchanged(c, before, "t-big");
    }

    /** A well-formed transfer whose metadata makes it larger than 1 MiB. */
    private static String bigTransfer(String id) {
        return transferBody(id, ",\"metadata\":{\"note\":\"" + "x".repeat(MIB + 100) + "\"}");
    }

    @Test
    void requestsWithoutAValidKeyAreUnauthorizedAndChangeNothing() {
        LedgerClient c = newTenant("val-auth");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");

        HttpRequest.Builder post = HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.ofString(transferBody("t-1", "")));
        Response none = send(post);
        assertProblem(none, 401, "unauthorized");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.header("Content-Type")).as("problem documents are UTF-8 JSON").doesNotContainIgnoringCase("8859");
        assertProblem(c.withKey("lk_not-a-key").transfer(key(), "t-1", "cash-EUR", "wallet", "1.00", "EUR"),
                401, "unauthorized");
        assertProblem(c.send(HttpRequest.newBuilder(c.uri("/v1/accounts/wallet")).GET(), "Basic dXNlcjpwYXNz"),
                401, "unauthorized");
        assertProblem(c.send(HttpRequest.newBuilder(c.uri("/v1/accounts/wallet")).GET(), "Bearer "),
                401, "unauthorized");
        assertProblem(send(HttpRequest.newBuilder(c.uri("/v1/accounts/wallet")).GET()), 401, "unauthorized");
        assertProblem(send(HttpRequest.newBuilder(c.uri("/v1/reports/trial-balance")).GET()), 401, "unauthorized");
        // the scheme name is case-insensitive (RFC 9110, section 11.1)
        assertThat(c.send(HttpRequest.newBuilder(c.uri("/v1/accounts/wallet")).GET(), "bearer " + c.apiKey())
                .status()).isEqualTo(200);

        assertUnchanged(c, before, "t-1");
    }

    @Test
    void rolesDecideWhatAKeyMayDo() {
        LedgerClient admin = newTenant("val-roles");
        openBook(admin, "EUR", "wallet");
        fund(admin, "wallet", "3.00", "EUR");
        LedgerClient finance = withRoles(admin, "finance");
        LedgerClient auditor = withRoles(admin, "auditor");
        LedgerClient payments = withRoles(admin, "payments");
        List<AccountState> before = snapshot(admin, "cash-EUR", "wallet");

        // finance and auditor read, but never move money or open accounts
        assertProblem(finance.transfer(key(), "t-fin", "cash-EUR", "wallet", "1.00", "EUR"), 403, "forbidden");
        assertProblem(auditor.transfer(key(), "t-aud", "cash-EUR", "wallet", "1.00", "EUR"), 403, "forbidden");
        assertProblem(finance.openAccount("fin-acc", "EUR", "ASSET", null), 403, "forbidden");
        assertProblem(freeze(finance, "wallet"), 403, "forbidden");
        assertThat(finance.account("wallet").status()).isEqualTo(200);
        assertThat(auditor.get("/v1/accounts/wallet/entries").status()).isEqualTo(200);

        // trial balance: finance, auditor and admin yes; payments no
        assertThat(trialBalance(finance, null).status()).isEqualTo(200);
        assertThat(trialBalance(auditor, null).status()).isEqualTo(200);
        assertThat(trialBalance(admin, null).status()).isEqualTo(200);
        assertProblem(trialBalance(payments, null), 403, "forbidden");

        // only admin issues keys; only the operator creates tenants
        assertProblem(payments.post("/v1/api-keys", null, json("roles", List.of("admin"))), 403, "forbidden");
        assertProblem(finance.post("/v1/api-keys", null, json("roles", List.of("admin"))), 403, "forbidden");
        assertProblem(admin.post("/v1/tenants", null, json("id", "not-by-admin")), 403, "forbidden");

        assertUnchanged(admin, before, "t-fin", "t-aud");
        assertProblem(admin.account("fin-acc"), 404, "account_not_found");
        // payments moves money
        assertThat(payments.transfer(key(), "t-pay", "cash-EUR", "wallet", "1.00", "EUR").status()).isEqualTo(201);
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        LedgerClient c = newTenant("val-path");
        assertProblem(c.get("/v1/nothing-here"), 404, "not_found");
        Response method = c.send(HttpRequest.newBuilder(c.uri("/v1/transfers")).method("DELETE",
                HttpRequest.BodyPublishers.noBody()), null);
        assertThat(method.status()).isEqualTo(405);
        assertProblem(method, 405, method.code());
        Response text = raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers")).header("Content-Type", "text/plain")
                .header("Idempotency-Key", key()).POST(HttpRequest.BodyPublishers.ofString(transferBody("t", ""))));
        assertProblem(text, 415, "validation_failed");
        assertProblem(c.get("/v1/accounts/bad!id"), 400, "validation_failed");
        assertProblem(c.get("/v1/accounts/wallet/entries?limit=abc"), 400, "validation_failed");
    }

    /** Refusals the HTTP server makes itself, before the service's code runs, are problem documents too. */
    @Test
    void anOversizedHeaderIsAProblemDocumentNotAnHtmlPage() {
        LedgerClient c = newTenant("val-header");
        openBook(c, "EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet");
        Response r = raw(c, HttpRequest.newBuilder(c.uri("/v1/transfers"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key())
                .header("X-Padding", "p".repeat(64 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString(transferBody("t-hdr", ""))));
        assertThat(r.status()).as(r.toString()).isBetween(400, 499);
        assertProblem(r, r.status(), "validation_failed");
        assertThat(r.body()).doesNotContain("<html");
        assertUnchanged(c, before, "t-hdr");
    }
}
