package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * Retries by id (docs/retries.md): a client that lost its idempotency key sends the transfer again
 * under a new key; the same id with the same content is the same transfer (200, Transfer-Existed),
 * with other content it is refused naming the fields that differ, and nothing moves either way.
 */
class RetriesByIdIT extends RestSupport {

    @Test
    void theSameTransferUnderANewKeyIsAnsweredAsTheExistingOneAndPostsNothing() {
        LedgerClient c = newTenant("retry-same");
        openBook(c, "EUR", "wallet");
        Response first = c.post("/v1/transfers", key(), json("id", "t-1", "debitAccount", "cash-EUR",
                "creditAccount", "wallet", "amount", "12.50", "currency", "EUR", "metadata", Map.of("order", "o-9")));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header(EXISTED)).isNull();
        List<AccountState> before = snapshot(c, "wallet", "cash-EUR");

        String lostKey = key();
        // the same amount written otherwise is the same amount; metadata in another order the same map
        Response retry = c.post("/v1/transfers", lostKey, json("id", "t-1", "debitAccount", "cash-EUR",
                "creditAccount", "wallet", "amount", "12.5", "currency", "EUR", "metadata", Map.of("order", "o-9")));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.header(EXISTED)).isEqualTo("true");
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(retry.body()).isEqualTo(first.body());

        // the retry's key now remembers that answer: replayed the same, existed still said
        Response again = c.post("/v1/transfers", lostKey, json("id", "t-1", "debitAccount", "cash-EUR",
                "creditAccount", "wallet", "amount", "12.5", "currency", "EUR", "metadata", Map.of("order", "o-9")));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header(EXISTED)).isEqualTo("true");
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        // and is one key: another request under it is an idempotency conflict
        assertProblem(transfer(c, lostKey, "t-2", "cash-EUR", "wallet", "1.00", "EUR"), 409, "idempotency_conflict");

        assertUnchanged(c, before, "t-2");
    }

    @Test
    void otherContentUnderTheSameIdIsRefusedNamingEveryDifferingFieldAndChangesNothing() {
        LedgerClient c = newTenant("retry-diff");
        openBook(c, "EUR", "wallet", "shop");
        open(c, "cash-USD", "USD", "ASSET", "unlimited");
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR").status()).isEqualTo(201);
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop", "cash-USD");

        assertThat(conflict(transfer(c, key(), "t-1", "wallet", "cash-EUR", "10.00", "EUR")))
                .containsExactly("debitAccount", "creditAccount");
        assertThat(conflict(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.01", "EUR")))
                .containsExactly("amount");
        assertThat(conflict(transfer(c, key(), "t-1", "cash-USD", "wallet", "10.00", "USD")))
                .containsExactly("debitAccount", "currency");
        assertThat(conflict(c.post("/v1/transfers", key(), json("id", "t-1", "debitAccount", "cash-EUR",
                "creditAccount", "wallet", "amount", "10.00", "currency", "EUR", "metadata", Map.of("k", "v")))))
                .containsExactly("metadata");
        assertThat(conflict(pending(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR", 60L)))
                .containsExactly("pending", "timeoutSeconds");

        // a refusal under a key is that key's answer, fields and all
        String key = key();
        Response refused = transfer(c, key, "t-1", "cash-EUR", "shop", "10.00", "EUR");
        Response replayed = transfer(c, key, "t-1", "cash-EUR", "shop", "10.00", "EUR");
        assertThat(conflict(replayed)).containsExactly("creditAccount");
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(refused.body());

        assertUnchanged(c, before);
        assertThat(c.get("/v1/transfers/t-1").json().get("legs").get(1).get("account").asText()).isEqualTo("wallet");
    }

    @Test
    void entriesArePendingTransfersAreAndTenantsDoNotShareIds() {
        LedgerClient c = newTenant("retry-kinds");
        openBook(c, "EUR", "wallet", "shop");
        Response entry = entry(c, key(), "e-1", "cash-EUR", "debit", "3.00", "wallet", "credit", "2.00", "shop",
                "credit", "1.00");
        assertThat(entry.status()).as(entry.toString()).isEqualTo(201);
        // legs in another order are the same postings
        Response sameEntry = entry(c, key(), "e-1", "shop", "credit", "1.00", "cash-EUR", "debit", "3.00", "wallet",
                "credit", "2.00");
        assertThat(sameEntry.status()).as(sameEntry.toString()).isEqualTo(200);
        assertThat(sameEntry.header(EXISTED)).isEqualTo("true");
        assertThat(conflict(entry(c, key(), "e-1", "cash-EUR", "debit", "3.00", "wallet", "credit", "3.00")))
                .containsExactly("legs");

        // a pending transfer posted since is still the same transfer: the answer shows it as it is now
        assertThat(pending(c, key(), "h-1", "wallet", "shop", "1.50", "EUR", null).status()).isEqualTo(201);
        assertThat(postPending(c, key(), "h-1", "1.00").status()).isEqualTo(200);
        Response held = pending(c, key(), "h-1", "wallet", "shop", "1.50", "EUR", null);
        assertThat(held.status()).as(held.toString()).isEqualTo(200);
        assertThat(held.header(EXISTED)).isEqualTo("true");
        assertThat(held.json().get("status").asText()).isEqualTo("POSTED");
        assertThat(held.json().get("postedAmount").asText()).isEqualTo("1.00");
        assertThat(conflict(transfer(c, key(), "h-1", "wallet", "shop", "1.50", "EUR"))).containsExactly("pending");

        // another tenant's t-1 is another transfer
        LedgerClient other = newTenant("retry-other");
        openBook(other, "EUR", "wallet");
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "1.00", "EUR").status()).isEqualTo(201);
        assertThat(transfer(other, key(), "t-1", "cash-EUR", "wallet", "2.00", "EUR").status()).isEqualTo(201);
    }

    @Test
    void concurrentRetriesOfOneTransferUnderManyKeysPostItOnce() throws Exception {
        LedgerClient c = newTenant("retry-race");
        openBook(c, "EUR", "wallet");
        int clients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                calls.add(() -> transfer(c, key(), "t-race", "cash-EUR", "wallet", "7.00", "EUR"));
            }
            List<Integer> statuses = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (Future<Response> answer : pool.invokeAll(calls)) {
                Response response = answer.get();
                statuses.add(response.status());
                bodies.add(response.body());
                if (response.status() == 200) {
                    assertThat(response.header(EXISTED)).isEqualTo("true");
                }
            }
            assertThat(statuses).as(bodies.toString()).containsOnly(200, 201);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
            assertThat(bodies).as("every answer is the one transfer").allMatch(b -> b.equals(bodies.get(0)));
        } finally {
            pool.shutdownNow();
        }
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("7.00");
        assertThat(lines(c, "wallet")).hasSize(1);
    }

    @Test
    void aBatchSaysWhichTransfersExistedAndWhichFieldsDiffer() {
        LedgerClient c = newTenant("retry-batch");
        openBook(c, "EUR", "wallet");
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "4.00", "EUR").status()).isEqualTo(201);
        String body = "{\"transfers\":["
                + batchItem("t-1", "4.00") + "," + batchItem("t-1", "5.00") + "," + batchItem("t-2", "1.00") + "]}";
        Response batch = c.post("/v1/transfers/batch", null, body);
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        JsonNode results = batch.json().get("results");
        assertThat(results.get(0).get("ok").asBoolean()).isTrue();
        assertThat(results.get(0).get("existed").asBoolean()).isTrue();
        assertThat(results.get(1).get("ok").asBoolean()).isFalse();
        assertThat(results.get(1).get("code").asText()).isEqualTo("transfer_id_conflict");
        assertThat(results.get(1).get("fields").get(0).asText()).isEqualTo("amount");
        assertThat(results.get(2).get("ok").asBoolean()).isTrue();
        assertThat(results.get(2).get("existed").asBoolean()).isFalse();
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("5.00");
    }

    private static final String EXISTED = "Transfer-Existed";

    private static String batchItem(String id, String amount) {
        return json("id", id, "debitAccount", "cash-EUR", "creditAccount", "wallet", "amount", amount,
                "currency", "EUR", "idempotencyKey", key());
    }

    /** The fields a transfer_id_conflict names. */
    private static List<String> conflict(Response response) {
        JsonNode problem = assertProblem(response, 409, "transfer_id_conflict");
        List<String> fields = new ArrayList<>();
        problem.path("fields").forEach(f -> fields.add(f.asText()));
        assertThat(fields).as("a conflict names what differs").isNotEmpty();
        detailMentions(problem, fields.toArray(String[]::new));
        return fields;
    }
}
