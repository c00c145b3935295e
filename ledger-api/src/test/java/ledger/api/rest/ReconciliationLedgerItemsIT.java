package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.rest.ReconciliationScenarioIT.Line;
import org.junit.jupiter.api.Test;

/**
 * Over the real service (docs/reconciliation.md, "Continuous matching" and "L3"): pending transfers
 * posted later are ledger items with the amount actually posted, whether posted before or after the
 * account became reconciled; and a tenant's known counterparties make a bank line from anyone else an
 * L3 break (alert and account freeze), for lines still open when the list is set and for lines
 * uploaded after.
 */
class ReconciliationLedgerItemsIT extends RestSupport {
    private static final String KNOWN = "DE02120300000000202051";
    private static final String STRANGER = "GB33BUKB20201555555555";

    @Test
    void aPendingTransferPostedLaterIsMatchedWithTheAmountPosted() {
        LedgerClient c = newTenant("recon-pending");
        open(c, "bank-eur", "EUR", "ASSET", "unlimited");
        open(c, "customers", "EUR", "LIABILITY", null);
        // posted before the account is reconciled: taken from the account's statement when it becomes so
        assertThat(c.post("/v1/transfers", key(), json("id", "p-before", "debitAccount", "bank-eur", "creditAccount",
                "customers", "amount", "35.00", "currency", "EUR", "pending", true,
                "metadata", Map.of("reference", "WIRE-P0"))).status()).isEqualTo(201);
        assertThat(postPending(c, key(), "p-before", "30.00").status()).isEqualTo(200);
        // reserved now, posted after the statement is in
        assertThat(c.post("/v1/transfers", key(), json("id", "p-after", "debitAccount", "bank-eur", "creditAccount",
                "customers", "amount", "50.00", "currency", "EUR", "pending", true,
                "metadata", Map.of("reference", "WIRE-P1"))).status()).isEqualTo(201);

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Response up = ReconciliationUploadIT.upload(withRoles(c, "finance"), "?format=camt053&account=bank-eur",
                ReconciliationScenarioIT.camt053("S-P", today, "0.00", "70.00",
                        List.of(new Line("30.00", true, "WIRE-P0"), new Line("40.00", true, "WIRE-P1"))),
                "application/xml");
        assertThat(up.status()).as(up.toString()).isEqualTo(201);
        JsonNode before = ReconciliationScenarioIT.await(c, "/v1/reconciliation/transfers/p-before",
                t -> "MATCHED".equals(t.at("/postings/0/sides/BANK").asText()));
        assertThat(before.at("/postings/0/amount").asText()).isEqualTo("30.00");

        // a reservation is not an item: only what is posted
        assertProblem(c.get("/v1/reconciliation/transfers/p-after"), 404, "not_found");
        assertThat(postPending(c, key(), "p-after", "40.00").status()).isEqualTo(200);
        JsonNode after = ReconciliationScenarioIT.await(c, "/v1/reconciliation/transfers/p-after",
                t -> "MATCHED".equals(t.at("/postings/0/sides/BANK").asText()));
        assertThat(after.at("/postings/0/amount").asText()).isEqualTo("40.00");
        String matchId = after.at("/postings/0/match").asText();
        JsonNode match = c.get("/v1/reconciliation/breaks/" + matchId).json();
        assertThat(match.get("status").asText()).as(match.toString()).isEqualTo("MATCHED");
        assertThat(match.get("kind").asText()).isEqualTo("ONE_TO_ONE");
    }

    @Test
    void aBankLineFromACounterpartyTheTenantDoesNotKnowIsAnL3Break() throws IOException {
        List<String> alerts = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            LedgerClient c = newTenant("recon-parties");
            LedgerClient finance = withRoles(c, "finance");
            open(c, "bank-eur", "EUR", "ASSET", "unlimited");
            open(c, "customers", "EUR", "LIABILITY", null);
            Response hook = c.send(HttpRequest.newBuilder(c.uri("/v1/reconciliation/webhook"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json("url", "http://127.0.0.1:"
                            + server.getAddress().getPort() + "/hook", "secret", "whsec-0123456789abcdef"))), null);
            assertThat(hook.status()).as(hook.toString()).isEqualTo(200);

            // no list: nobody is checked
            assertThat(c.get("/v1/reconciliation/counterparties").json().get("counterparties").isNull()).isTrue();
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            Response first = ReconciliationUploadIT.upload(finance, "?format=camt053&account=bank-eur",
                    withDebtors(ReconciliationScenarioIT.camt053("S-C1", today, "0.00", "12.00",
                            List.of(new Line("12.00", true, "WIRE-C1"))), STRANGER), "application/xml");
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            String firstId = first.json().get("id").asText();
            ReconciliationScenarioIT.await(c, "/v1/reconciliation/statements/" + firstId + "/summary",
                    s -> s.toString().contains("WAITING"));
            assertThat(c.get("/v1/reconciliation/breaks?level=L3").json().get("breaks").size()).isZero();

            // the setting: admin only, a list of names
            assertProblem(putCounterparties(finance, json("counterparties", List.of(KNOWN))), 403, "forbidden");
            assertProblem(putCounterparties(c, "{}"), 400, "validation_failed");
            assertProblem(putCounterparties(c, json("counterparties", List.of(" "))), 400, "validation_failed");
            Response set = putCounterparties(c, json("counterparties", List.of("DE02 1203 0000 0000 2020 51")));
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
            assertThat(set.json().get("counterparties").get(0).asText()).isEqualTo("DE02 1203 0000 0000 2020 51");
            assertThat(finance.get("/v1/reconciliation/counterparties").json().get("counterparties").size()).isEqualTo(1);

            // the open line from a stranger is checked again at once: an L3 break that freezes the account
            JsonNode opened = ReconciliationScenarioIT.await(c, "/v1/reconciliation/breaks?level=L3&status=open",
                    q -> q.get("breaks").size() == 1);
            JsonNode stranger = opened.get("breaks").get(0);
            assertThat(stranger.get("reason").asText()).isEqualTo("UNKNOWN_COUNTERPARTY");
            assertThat(stranger.get("detail").asText()).contains(STRANGER);
            ReconciliationScenarioIT.await(c, "/v1/reconciliation/breaks/" + stranger.get("id").asText(),
                    b -> b.get("frozenAccount").asText("").equals("bank-eur"));
            assertThat(c.account("bank-eur").json().get("status").asText()).isEqualTo("FROZEN");

            // lines uploaded now: the known counterparty waits for its posting, the stranger is an L3 break
            Response second = ReconciliationUploadIT.upload(finance, "?format=camt053&account=bank-eur",
                    withDebtors(ReconciliationScenarioIT.camt053("S-C2", today, "12.00", "20.00",
                            List.of(new Line("5.00", true, "WIRE-C2"), new Line("3.00", true, "WIRE-C3"))),
                            "DE02 1203 0000 0000 2020 51", STRANGER), "application/xml");
            assertThat(second.status()).as(second.toString()).isEqualTo(201);
            JsonNode both = ReconciliationScenarioIT.await(c, "/v1/reconciliation/breaks?level=L3&status=open",
                    q -> q.get("breaks").size() == 2);
            for (JsonNode b : both.get("breaks")) {
                assertThat(b.get("reason").asText()).isEqualTo("UNKNOWN_COUNTERPARTY");
                JsonNode items = c.get("/v1/reconciliation/breaks/" + b.get("id").asText()).json().get("items");
                assertThat(items.size()).isEqualTo(1);
                assertThat(items.get(0).get("amount").asText()).isIn("12.00", "3.00");
            }
            String known = second.json().get("id").asText();
            JsonNode summary = ReconciliationScenarioIT.await(c, "/v1/reconciliation/statements/" + known + "/summary",
                    s -> s.toString().contains("WAITING") && s.toString().contains("BREAK"));
            assertThat(summary.toString()).contains("WAITING");

            // the alert of each L3 break reached the webhook
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (alerts.size() < 2 && System.nanoTime() < deadline) {
                pause(200);
            }
            assertThat(alerts).hasSize(2).allSatisfy(a -> assertThat(a).contains("UNKNOWN_COUNTERPARTY", "bank-eur"));

            // no list: no check from now on
            Response removed = c.send(HttpRequest.newBuilder(c.uri("/v1/reconciliation/counterparties")).DELETE(), null);
            assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
            assertThat(c.get("/v1/reconciliation/counterparties").json().get("counterparties").isNull()).isTrue();
        } finally {
            server.stop(0);
        }
    }

    private static Response putCounterparties(LedgerClient c, String body) {
        return c.send(HttpRequest.newBuilder(c.uri("/v1/reconciliation/counterparties"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)), null);
    }

    /** The statement with each entry's debtor account (money received from it), in entry order. */
    private static byte[] withDebtors(byte[] camt, String... debtors) {
        String xml = new String(camt, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (String debtor : debtors) {
            int at = xml.indexOf("</Refs>", from) + "</Refs>".length();
            out.append(xml, from, at).append("<RltdPties><Dbtr><Nm>Payer</Nm></Dbtr><DbtrAcct><Id><IBAN>")
                    .append(debtor.replace(" ", "")).append("</IBAN></Id></DbtrAcct></RltdPties>");
            from = at;
        }
        out.append(xml.substring(from));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
