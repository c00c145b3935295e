package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.reconciliation.WebhookDelivery;
import ledger.api.rest.ReconciliationScenarioIT.Line;
import org.junit.jupiter.api.Test;

/**
 * L3 breaks over the real service (docs/reconciliation.md, "L3"): a statement line the mapped
 * account cannot hold opens an L3 break, which freezes the account (postings refused with
 * account_frozen naming the break, single and batched) and is delivered to a real local HTTP server
 * (JDK HttpServer) that refuses the first two attempts: the third arrives, signed with HMAC-SHA256.
 * Resolving the break releases the account.
 */
class ReconciliationAlertsIT extends RestSupport {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "whsec-0123456789abcdef";

    record Received(String body, String signature, String delivery) {
    }

    @Test
    void anL3BreakFreezesTheAccountAlertsWithRetriesAndResolvingReleasesIt() throws IOException {
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(new String(body, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst(WebhookDelivery.SIGNATURE_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookDelivery.DELIVERY_HEADER)));
            int status = attempts.incrementAndGet() <= 2 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            LedgerClient c = newTenant("recon-l3");
            open(c, "bank-eur", "EUR", "ASSET", "unlimited");
            open(c, "customers", "EUR", "LIABILITY", null);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            assertProblem(c.send(java.net.http.HttpRequest.newBuilder(c.uri("/v1/reconciliation/webhook"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json("url", "ftp://x", "secret", SECRET))),
                    null), 400, "validation_failed");
            assertProblem(c.send(java.net.http.HttpRequest.newBuilder(c.uri("/v1/reconciliation/webhook"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json("url", url, "secret", "short"))),
                    null), 400, "validation_failed");
            LedgerClient finance = withRoles(c, "finance");
            assertProblem(finance.send(java.net.http.HttpRequest.newBuilder(c.uri("/v1/reconciliation/webhook"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json("url", url, "secret", SECRET))),
                    null), 403, "forbidden");
            Response set = c.send(java.net.http.HttpRequest.newBuilder(c.uri("/v1/reconciliation/webhook"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json("url", url, "secret", SECRET))), null);
            assertThat(set.status()).as(set.toString()).isEqualTo(200);

            // a USD line on the EUR account: the ledger account cannot hold it
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            String xml = new String(ReconciliationScenarioIT.camt053("S-L3", today, "0.00", "77.00",
                    List.of(new Line("77.00", true, "WIRE-77"))), StandardCharsets.UTF_8)
                    .replace("<Ntry><Amt Ccy=\"EUR\">77.00</Amt>", "<Ntry><Amt Ccy=\"USD\">77.00</Amt>");
            Response up = ReconciliationUploadIT.upload(finance, "?format=camt053&account=bank-eur",
                    xml.getBytes(StandardCharsets.UTF_8), "application/xml");
            assertThat(up.status()).as(up.toString()).isEqualTo(201);

            JsonNode queue = ReconciliationScenarioIT.await(c, "/v1/reconciliation/breaks?level=L3&status=open",
                    q -> q.get("breaks").size() == 1);
            JsonNode l3 = queue.get("breaks").get(0);
            String breakId = l3.get("id").asText();
            assertThat(l3.get("reason").asText()).isEqualTo("UNKNOWN_CURRENCY");
            assertThat(l3.get("detail").asText()).contains("bank-eur", "EUR", "USD");
            assertThat(ReconciliationScenarioIT.await(c, "/v1/reconciliation/breaks/" + breakId,
                    b -> b.get("frozenAccount").asText("").equals("bank-eur")).get("status").asText()).isEqualTo("OPEN");

            // the circuit breaker: new postings on the account are refused, naming the break
            JsonNode refused = assertProblem(c.post("/v1/transfers", key(), json("id", "t-blocked", "debitAccount",
                    "bank-eur", "creditAccount", "customers", "amount", "5.00", "currency", "EUR")), 409,
                    "account_frozen");
            detailMentions(refused, breakId);
            Response batch = c.post("/v1/transfers/batch", null, "{\"transfers\":[" + json("id", "t-batch",
                    "debitAccount", "bank-eur", "creditAccount", "customers", "amount", "1.00", "currency", "EUR",
                    "idempotencyKey", key()) + "]}");
            assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
            JsonNode item = batch.json().get("results").get(0);
            assertThat(item.get("code").asText()).isEqualTo("account_frozen");
            assertThat(item.get("detail").asText()).contains(breakId);
            assertThat(c.account("bank-eur").json().get("status").asText()).isEqualTo("FROZEN");

            // the alert: two refusals, then delivered; every attempt signed alike
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (attempts.get() < 3 && System.nanoTime() < deadline) {
                pause(200);
            }
            assertThat(attempts.get()).as("attempts").isEqualTo(3);
            for (Received r : received) {
                assertThat(r.signature()).isEqualTo("sha256=" + WebhookDelivery.sign(SECRET, r.body()));
                assertThat(r.delivery()).isEqualTo(breakId);
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.get("breakId").asText()).isEqualTo(breakId);
                assertThat(body.get("level").asText()).isEqualTo("L3");
                assertThat(body.get("account").asText()).isEqualTo("bank-eur");
                assertThat(body.get("accountFrozen").asBoolean()).isTrue();
            }
            assertThat(received.get(0).signature()).isNotEqualTo("sha256=" + WebhookDelivery.sign("another-secret-xx",
                    received.get(0).body()));
            pause(3_000);
            assertThat(attempts.get()).as("no attempt after a delivery").isEqualTo(3);

            String scrape = c.get("/actuator/prometheus").body();
            assertThat(scrape).containsPattern("ledger_reconciliation_breaks_total\\{[^}]*level=\"L3\"[^}]*} [1-9]");

            // resolving releases the account
            Response resolved = finance.post("/v1/reconciliation/breaks/" + breakId + "/resolve", null,
                    json("action", "accept", "note", "USD account to be opened"));
            assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
            assertThat(resolved.json().get("frozenAccount").asText()).as(resolved.toString()).isEqualTo("bank-eur");
            assertThat(c.account("bank-eur").json().get("status").asText()).isEqualTo("OPEN");
            Response after = c.post("/v1/transfers", key(), json("id", "t-after", "debitAccount", "bank-eur",
                    "creditAccount", "customers", "amount", "5.00", "currency", "EUR", "metadata", Map.of()));
            assertThat(after.status()).as(after.toString()).isEqualTo(201);
        } finally {
            server.stop(0);
        }
    }
}
