package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/transfers/{id}/reverse} over real HTTP on real PostgreSQL (docs/reversals.md): the
 * opposite transfer, linked both ways, full or partial, never more in total than the original moved
 * (also when many reversals race), idempotent with the Idempotency-Key, and every refusal changes
 * nothing.
 */
class ReversalsIT extends RestSupport {

    private static Response reverse(LedgerClient c, String key, String id, String body) {
        return c.post("/v1/transfers/" + id + "/reverse", key, body);
    }

    @Test
    void aPartialThenTheRestIsLinkedOnBothTransfersAndRestoresTheBalances() {
        LedgerClient c = newTenant("rev-basic");
        openBook(c, "EUR", "wallet");
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR").status()).isEqualTo(201);

        String key = key();
        Response partial = reverse(c, key, "t-1", json("amount", "4.00"));
        assertThat(partial.status()).as(partial.toString()).isEqualTo(201);
        JsonNode first = partial.json();
        assertThat(first.get("id").asText()).isEqualTo("t-1.r1");
        assertThat(first.get("kind").asText()).isEqualTo("reversal");
        assertThat(first.get("reversalOf").asText()).isEqualTo("t-1");
        assertThat(first.get("legs").get(0).get("account").asText()).isEqualTo("wallet");
        assertThat(first.get("legs").get(0).get("side").asText()).isEqualTo("debit");
        assertThat(first.get("legs").get(0).get("amount").asText()).isEqualTo("4.00");
        assertThat(c.get("/v1/transfers/t-1.r1").body()).isEqualTo(partial.body());
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("6.00");

        // the same key and body: the same answer, nothing reversed again
        Response replay = reverse(c, key, "t-1", json("amount", "4.00"));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(partial.body());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(reverse(c, key, "t-1", json("amount", "5.00")), 409, "idempotency_conflict");

        Response rest = reverse(c, key(), "t-1", "{}");
        assertThat(rest.status()).as(rest.toString()).isEqualTo(201);
        assertThat(rest.json().get("id").asText()).isEqualTo("t-1.r2");
        assertThat(rest.json().get("legs").get(0).get("amount").asText()).isEqualTo("6.00");

        JsonNode original = c.get("/v1/transfers/t-1").json();
        assertThat(original.get("status").asText()).isEqualTo("POSTED");
        assertThat(original.get("reversedAmount").asText()).isEqualTo("10.00");
        assertThat(original.get("reversals").get(0).get("id").asText()).isEqualTo("t-1.r1");
        assertThat(original.get("reversals").get(0).get("amount").asText()).isEqualTo("4.00");
        assertThat(original.get("reversals").get(1).get("id").asText()).isEqualTo("t-1.r2");
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("0.00");
        assertThat(c.account("cash-EUR").json().get("balance").asText()).isEqualTo("0.00");
    }

    @Test
    void refusalsNameTheirReasonAndChangeNothing() {
        LedgerClient c = newTenant("rev-refused");
        openBook(c, "EUR", "wallet", "shop");
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR").status()).isEqualTo(201);
        assertThat(transfer(c, key(), "t-2", "wallet", "shop", "9.00", "EUR").status()).isEqualTo(201);
        assertThat(pending(c, key(), "hold", "wallet", "shop", "0.50", "EUR", null).status()).isEqualTo(201);
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop");

        assertProblem(reverse(c, key(), "t-1", json("amount", "10.01")), 422, "amount_invalid");
        assertProblem(reverse(c, key(), "t-1", json("amount", "0.001")), 422, "amount_invalid");
        assertProblem(reverse(c, key(), "t-1", json("amount", "-1.00")), 422, "amount_invalid");
        assertProblem(reverse(c, key(), "t-1", "{\"amount\":1}"), 400, "validation_failed");
        assertProblem(reverse(c, key(), "t-1", "{\"amount\":\"1.00\",\"extra\":true}"), 400, "validation_failed");
        assertProblem(reverse(c, key(), "t-1", json("id", "bad id")), 400, "validation_failed");
        assertProblem(reverse(c, key(), "t-1", json("id", "t-2", "amount", "0.10")), 409, "duplicate_id");
        assertProblem(reverse(c, null, "t-1", "{}"), 400, "validation_failed");
        assertProblem(reverse(c, key(), "nothing", "{}"), 404, "transfer_not_found");
        // wallet holds 0.50 after t-2 and the hold: reversing t-1 in full would overdraw it
        assertProblem(reverse(c, key(), "t-1", "{}"), 422, "insufficient_funds");
        JsonNode pending = assertProblem(reverse(c, key(), "hold", "{}"), 409, "transfer_not_reversible");
        detailMentions(pending, "pending", "void");
        // another tenant's transfer is not found
        LedgerClient other = newTenant("rev-other");
        assertProblem(reverse(other, key(), "t-1", "{}"), 404, "transfer_not_found");

        assertUnchanged(c, before, "t-1.r1");
        assertThat(c.get("/v1/transfers/t-1").json().get("reversals")).isEmpty();
    }

    @Test
    void anEntryIsReversedInFullAndAReversalIsNotReversed() {
        LedgerClient c = newTenant("rev-entry");
        openBook(c, "EUR", "wallet", "shop");
        assertThat(entry(c, key(), "e-1", "cash-EUR", "debit", "3.00", "wallet", "credit", "2.00", "shop", "credit",
                "1.00").status()).isEqualTo(201);
        assertProblem(reverse(c, key(), "e-1", json("amount", "1.00")), 422, "amount_invalid");
        Response reversal = reverse(c, key(), "e-1", json("id", "undo-e-1"));
        assertThat(reversal.status()).as(reversal.toString()).isEqualTo(201);
        assertThat(reversal.json().get("id").asText()).isEqualTo("undo-e-1");
        assertThat(reversal.json().get("legs")).hasSize(3);
        assertThat(c.get("/v1/transfers/e-1").json().get("reversals").get(0).get("id").asText()).isEqualTo("undo-e-1");
        assertProblem(reverse(c, key(), "e-1", "{}"), 409, "transfer_not_reversible");
        assertProblem(reverse(c, key(), "undo-e-1", "{}"), 409, "transfer_not_reversible");
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("0.00");
    }

    @Test
    void concurrentReversalsNeverTakeBackMoreThanTheTransferMoved() throws Exception {
        LedgerClient c = newTenant("rev-race");
        openBook(c, "EUR", "wallet");
        assertThat(transfer(c, key(), "t-1", "cash-EUR", "wallet", "10.00", "EUR").status()).isEqualTo(201);
        int requests = 24;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Response> answers = new ArrayList<>();
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                calls.add(() -> reverse(c, key(), "t-1", json("amount", "1.00")));
            }
            for (Future<Response> answer : pool.invokeAll(calls)) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Response> reversed = answers.stream().filter(a -> a.status() == 201).toList();
        assertThat(reversed).as(answers.toString()).hasSize(10);
        assertThat(answers.stream().filter(a -> a.status() != 201))
                .allSatisfy(a -> assertProblem(a, 409, "transfer_not_reversible"));
        assertThat(reversed.stream().map(a -> a.json().get("id").asText()).distinct()).hasSize(10);

        JsonNode original = c.get("/v1/transfers/t-1").json();
        assertThat(original.get("reversedAmount").asText()).isEqualTo("10.00");
        assertThat(original.get("reversals")).hasSize(10);
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("0.00");
        assertThat(lines(c, "wallet")).hasSize(11);
    }
}
