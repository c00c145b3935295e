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

/** The same Idempotency-Key with the same request answers the same and posts once; with another request, 409. */
class IdempotencyIT extends RestSupport {

    @Test
    void sameKeyAndBodyReplaysTheByteIdenticalAnswerAndPostsOnce() {
        LedgerClient c = newTenant("idem-replay");
        openBook(c, "EUR", "wallet");
        String key = key();

        Response first = transfer(c, key, "t-1", "cash-EUR", "wallet", "12.50", "EUR");
        Response second = transfer(c, key, "t-1", "cash-EUR", "wallet", "12.50", "EUR");
        Response third = transfer(c, key, "t-1", "cash-EUR", "wallet", "12.50", "EUR");

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        for (Response replay : List.of(second, third)) {
            assertThat(replay.status()).isEqualTo(first.status());
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replay.header("Content-Type")).isEqualTo(first.header("Content-Type"));
        }
        awaitStatementsHave(c, "t-1", "wallet", "cash-EUR");
        List<AccountState> after = snapshot(c, "wallet", "cash-EUR");
        assertThat(after.get(0).lines()).hasSize(1);
        assertThat(after.get(1).lines()).hasSize(1);
        assertUnchanged(c, after);
    }

    @Test
    void replaysWorkForEntriesPostsAndVoids() {
        LedgerClient c = newTenant("idem-kinds");
        openBook(c, "EUR", "wallet", "shop");
        String entryKey = key();
        String body = "{\"id\":\"e-1\",\"legs\":[{\"account\":\"cash-EUR\",\"debit\":\"20.00\"},"
                + "{\"account\":\"wallet\",\"credit\":\"20.00\"}]}";
        Response entry = c.post("/v1/entries", entryKey, body);
        assertThat(entry.status()).as(entry.toString()).isEqualTo(201);
        Response entryAgain = c.post("/v1/entries", entryKey, body);
        assertThat(entryAgain.status()).isEqualTo(201);
        assertThat(entryAgain.body()).isEqualTo(entry.body());
        assertThat(entryAgain.header("Idempotent-Replayed")).isEqualTo("true");
        c.awaitAccount("wallet", a -> a.get("balance").asText().equals("20.00"));

        assertThat(pending(c, key(), "hold-1", "wallet", "shop", "5.00", "EUR", null).status()).isEqualTo(201);
        assertThat(pending(c, key(), "hold-2", "wallet", "shop", "5.00", "EUR", null).status()).isEqualTo(201);
        String postKey = key();
        Response posted = postPending(c, postKey, "hold-1", "3.00");
        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        Response postedAgain = postPending(c, postKey, "hold-1", "3.00");
        assertThat(postedAgain.status()).isEqualTo(200);
        assertThat(postedAgain.body()).isEqualTo(posted.body());
        assertThat(postedAgain.header("Idempotent-Replayed")).isEqualTo("true");
        // without the key, posting again is refused: it is no longer pending
        assertProblem(postPending(c, key(), "hold-1", "3.00"), 409, "transfer_not_pending");

        String voidKey = key();
        Response voided = voidPending(c, voidKey, "hold-2");
        assertThat(voided.status()).as(voided.toString()).isEqualTo(200);
        Response voidedAgain = voidPending(c, voidKey, "hold-2");
        assertThat(voidedAgain.status()).isEqualTo(200);
        assertThat(voidedAgain.body()).isEqualTo(voided.body());

        c.awaitAccount("wallet", a -> a.get("balance").asText().equals("17.00")
                && a.get("available").asText().equals("17.00"));
        c.awaitAccount("shop", a -> a.get("balance").asText().equals("3.00")
                && a.get("creditsPending").asText().equals("0.00"));
        // one line per movement: the replays added none
        assertThat(lines(c, "wallet")).extracting(l -> l.get("transferId").asText() + "/" + l.get("type").asText())
                .containsExactly("e-1/posted", "hold-1/reserved", "hold-2/reserved", "hold-1/pending_posted",
                        "hold-2/voided");
        assertUnchanged(c, snapshot(c, "wallet", "shop"));
    }

    @Test
    void aRejectedRequestReplaysTheSameRejection() {
        LedgerClient c = newTenant("idem-reject");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "5.00", "EUR");
        List<AccountState> before = snapshot(c, "wallet", "shop");
        String key = key();

        Response first = transfer(c, key, "t-1", "wallet", "shop", "6.00", "EUR");
        assertProblem(first, 422, "insufficient_funds");
        Response replay = transfer(c, key, "t-1", "wallet", "shop", "6.00", "EUR");
        assertThat(replay.status()).isEqualTo(422);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(replay, 422, "insufficient_funds");
        assertUnchanged(c, before, "t-1");

        // the answer was decided: even once the funds are there, the same key answers the same
        fund(c, "wallet", "5.00", "EUR");
        Response later = transfer(c, key, "t-1", "wallet", "shop", "6.00", "EUR");
        assertThat(later.status()).isEqualTo(422);
        assertThat(later.body()).isEqualTo(first.body());
        // a new key is a new request
        assertThat(transfer(c, key(), "t-1", "wallet", "shop", "6.00", "EUR").status()).isEqualTo(201);
        awaitStatementHas(c, "shop", "t-1");
    }

    @Test
    void sameKeyWithAnotherBodyIsAConflictAndPostsNothing() {
        LedgerClient c = newTenant("idem-conflict");
        openBook(c, "EUR", "wallet", "shop");
        String key = key();
        Response first = transfer(c, key, "t-1", "cash-EUR", "wallet", "10.00", "EUR");
        assertThat(first.status()).isEqualTo(201);
        awaitStatementsHave(c, "t-1", "cash-EUR", "wallet");
        List<AccountState> before = snapshot(c, "cash-EUR", "wallet", "shop");

        JsonNode conflict = assertProblem(transfer(c, key, "t-1", "cash-EUR", "wallet", "10.01", "EUR"),
                409, "idempotency_conflict");
        detailMentions(conflict, key);
        assertProblem(transfer(c, key, "t-2", "cash-EUR", "shop", "10.00", "EUR"), 409, "idempotency_conflict");
        // another endpoint is another request too
        assertProblem(entry(c, key, "e-1", "cash-EUR", "debit", "10.00", "wallet", "credit", "10.00"),
                409, "idempotency_conflict");
        assertProblem(pending(c, key, "p-1", "cash-EUR", "wallet", "10.00", "EUR", null),
                409, "idempotency_conflict");

        assertUnchanged(c, before, "t-2", "e-1", "p-1");
        // the original answer is still what the key replays
        Response replay = transfer(c, key, "t-1", "cash-EUR", "wallet", "10.00", "EUR");
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
    }

    @Test
    void keysArePerTenant() {
        LedgerClient a = newTenant("idem-ta");
        LedgerClient b = newTenant("idem-tb");
        openBook(a, "EUR", "wallet");
        openBook(b, "EUR", "wallet");
        String key = key();

        Response inA = transfer(a, key, "t-1", "cash-EUR", "wallet", "1.00", "EUR");
        // same key, other body, other tenant: independent, not a conflict and not a replay
        Response inB = transfer(b, key, "t-9", "cash-EUR", "wallet", "2.00", "EUR");
        // same key, same body, other tenant: posts in that tenant too
        Response sameInB = transfer(b, "other-" + key, "t-1", "cash-EUR", "wallet", "1.00", "EUR");
        assertThat(inA.status()).isEqualTo(201);
        assertThat(inB.status()).as(inB.toString()).isEqualTo(201);
        assertThat(inB.header("Idempotent-Replayed")).isNull();
        assertThat(sameInB.status()).isEqualTo(201);
        LedgerClient c = newTenant("idem-tc");
        openBook(c, "EUR", "wallet");
        Response sameKeySameBody = transfer(c, key, "t-1", "cash-EUR", "wallet", "1.00", "EUR");
        assertThat(sameKeySameBody.status()).isEqualTo(201);
        assertThat(sameKeySameBody.header("Idempotent-Replayed")).isNull();

        a.awaitAccount("wallet", x -> x.get("balance").asText().equals("1.00"));
        b.awaitAccount("wallet", x -> x.get("balance").asText().equals("3.00"));
        c.awaitAccount("wallet", x -> x.get("balance").asText().equals("1.00"));
    }

    @Test
    void concurrentRetriesWithOneKeyPostOnce() throws Exception {
        LedgerClient c = newTenant("idem-race");
        openBook(c, "EUR", "wallet");
        String key = key();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> transfer(c, key, "t-race", "cash-EUR", "wallet", "7.00", "EUR"));
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            assertThat(answers).extracting(Response::status).as(answers.toString()).containsOnly(201);
            assertThat(answers).extracting(Response::body).containsOnly(answers.get(0).body());
            // one request posted; every other answer is the stored one, marked as a replay
            assertThat(answers).filteredOn(r -> r.header("Idempotent-Replayed") == null).as(answers.toString())
                    .hasSize(1);
            assertThat(answers).filteredOn(r -> "true".equals(r.header("Idempotent-Replayed"))).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
        awaitStatementsHave(c, "t-race", "wallet", "cash-EUR");
        List<AccountState> after = snapshot(c, "wallet", "cash-EUR");
        assertThat(after.get(0).lines()).hasSize(1);
        assertThat(after.get(1).lines()).hasSize(1);
        assertUnchanged(c, after);
    }
}
