package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/transfers/batch}: gRPC SubmitTransfers' semantics over REST (the same code path). */
class RestBatchIT extends RestSupport {

    private static String item(String id, String debit, String credit, String amount, String key, boolean linked) {
        return "{\"id\":\"" + id + "\",\"debitAccount\":\"" + debit + "\",\"creditAccount\":\"" + credit
                + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\",\"idempotencyKey\":\"" + key + "\""
                + (linked ? ",\"linked\":true" : "") + "}";
    }

    private static Response batch(LedgerClient c, String... items) {
        return c.post("/v1/transfers/batch", null, "{\"transfers\":[" + String.join(",", items) + "]}");
    }

    @Test
    void eachTransferIsAnsweredOnItsOwnAndLinkedOnesAllOrNothing() {
        LedgerClient c = newTenant("batch");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "10.00", "EUR");

        Response r = batch(c,
                item("b-1", "wallet", "shop", "2.00", "k-1", false),
                item("b-2", "wallet", "shop", "50.00", "k-2", false),
                item("b-3", "wallet", "shop", "1.00", "k-3", true),
                item("b-4", "wallet", "shop", "90.00", "k-4", false),
                "{\"id\":\"b-5\",\"idempotencyKey\":\"k-5\"}",
                item("b-6", "wallet", "shop", "3.00", "k-6", false));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(6);
        assertThat(results.get(0).get("ok").asBoolean()).isTrue();
        assertThat(results.get(0).get("transfer").get("id").asText()).isEqualTo("b-1");
        assertThat(results.get(1).get("code").asText()).isEqualTo("insufficient_funds");
        assertThat(results.get(2).get("code").asText()).as("linked with a refused one").isEqualTo("linked_event_failed");
        assertThat(results.get(3).get("code").asText()).isEqualTo("insufficient_funds");
        assertThat(results.get(4).get("code").asText()).isEqualTo("validation_failed");
        assertThat(results.get(4).get("detail").asText()).contains("debitAccount");
        assertThat(results.get(5).get("ok").asBoolean()).isTrue();
        assertThat(c.get("/v1/transfers/b-3").status()).isEqualTo(404);
        assertThat(c.account("shop").json().get("balance").asText()).isEqualTo("5.00");

        // sent again: every answer replays, nothing is posted twice
        Response again = batch(c, item("b-1", "wallet", "shop", "2.00", "k-1", false),
                item("b-2", "wallet", "shop", "50.00", "k-2", false));
        assertThat(again.json().get("results").get(0).get("replayed").asBoolean()).isTrue();
        assertThat(again.json().get("results").get(1).get("replayed").asBoolean()).isTrue();
        assertThat(again.json().get("results").get(1).get("code").asText()).isEqualTo("insufficient_funds");
        // a batch item's key is the same key for POST /v1/transfers
        Response single = c.transfer("k-6", "b-6", "wallet", "shop", "3.00", "EUR");
        assertThat(single.status()).isEqualTo(201);
        assertThat(single.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(c.transfer("k-6", "b-7", "wallet", "shop", "3.00", "EUR").code()).isEqualTo("idempotency_conflict");
        assertThat(c.account("shop").json().get("balance").asText()).isEqualTo("5.00");
    }

    @Test
    void aWholeBatchIsRefusedOnlyWhenItIsNotABatch() {
        LedgerClient c = newTenant("batch-bad");
        openBook(c, "EUR", "wallet");
        assertProblem(c.post("/v1/transfers/batch", null, "{\"transfers\":[]}"), 400, "validation_failed");
        assertProblem(c.post("/v1/transfers/batch", null, "{}"), 400, "validation_failed");
        assertProblem(c.post("/v1/transfers/batch", null, "[]"), 400, "validation_failed");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 8_191; i++) {
            many.add("{}");
        }
        assertProblem(c.post("/v1/transfers/batch", null, "{\"transfers\":[" + String.join(",", many) + "]}"), 400,
                "validation_failed");
        Response linkedAtEnd = batch(c, item("x-1", "cash-EUR", "wallet", "1.00", "x-1", true));
        assertThat(linkedAtEnd.json().get("results").get(0).get("code").asText()).isEqualTo("validation_failed");
        Response noKey = c.post("/v1/transfers/batch", null, "{\"transfers\":[{\"id\":\"x-2\",\"debitAccount\":"
                + "\"cash-EUR\",\"creditAccount\":\"wallet\",\"amount\":\"1.00\",\"currency\":\"EUR\"}]}");
        assertThat(noKey.json().get("results").get(0).get("detail").asText()).contains("idempotencyKey");
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("0.00");
    }
}
