package ledger.api.durability;

import static ledger.api.durability.Ledgers.amount;
import static ledger.api.durability.Ledgers.minor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import ledger.api.LedgerClient;
import ledger.api.LedgerServiceIT;
import ledger.api.durability.Ledgers.Line;
import org.junit.jupiter.api.Test;

/**
 * Many clients hammer a few hot accounts over the real HTTP port, with racing and retried
 * idempotency keys and transfers that must be refused for insufficient funds. Afterwards the
 * ledger must agree exactly with what the clients were told: every accepted transfer posted once
 * on both its accounts, nothing else posted, the books balanced, no wallet ever below zero, and
 * every answer for one key the same.
 */
class ConcurrentTransfersIT extends LedgerServiceIT {
    private static final int THREADS = 12;
    /** Bounded so the whole test stays within about a minute on a 2-core machine; raise it for a soak run. */
    private static final int REQUESTS_PER_THREAD = Integer.getInteger("ledger.it.requests-per-thread", 100);
    private static final String CURRENCY = "EUR";
    private static final String BANK = "bank";
    private static final List<String> WALLETS = List.of("w0", "w1", "w2", "w3");
    private static final long SEED = 500_00;
    /** More than any wallet can ever hold: bank→wallet inflows are bounded far below it. */
    private static final long HUGE = 1_000_000_00;

    private enum Mode {
        /** sent once */
        ONCE,
        /** sent twice at the same moment by two threads, same key and body */
        RACE,
        /** sent, then retried twice in sequence with the same key and body */
        RETRY,
        /** sent, then the key is reused with another amount (must be refused, posting nothing) */
        CONFLICT
    }

    private record Op(String key, String id, String debit, String credit, long amount, Mode mode) {
    }

    private record Answer(int status, String body, boolean replayed) {
        static Answer of(LedgerClient.Response r) {
            return new Answer(r.status(), r.body(), "true".equals(r.header("Idempotent-Replayed")));
        }
    }

    private final Map<String, Op> ops = new ConcurrentHashMap<>();
    private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, Answer> conflictAnswers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

    @Test
    void concurrentRetriedAndRefusedTransfersKeepTheBooksExact() throws Exception {
        LedgerClient client = newTenant("conc");
        assertThat(client.openAccount(BANK, CURRENCY, "ASSET", "unlimited").status()).isEqualTo(201);
        for (String wallet : WALLETS) {
            assertThat(client.openAccount(wallet, CURRENCY, "LIABILITY", null).status()).isEqualTo(201);
        }
        for (String wallet : WALLETS) {
            Op seed = new Op("seed-" + wallet, "seed-" + wallet, BANK, wallet, SEED, Mode.ONCE);
            ops.put(seed.key(), seed);
            LedgerClient.Response r = send(client, seed);
            assertThat(r.status()).as("seed %s: %s", wallet, r).isEqualTo(201);
            record(seed, r);
        }

        long seed = System.nanoTime();
        System.out.println("ConcurrentTransfersIT random seed " + seed);
        long loadStart = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> load(client, seed),
                "the load phase did not finish: a deadlock or a hung request");
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;

        // ---- the answers ----
        assertThat(unexpected).as("unexpected answers (5xx, other codes, malformed)").isEmpty();
        assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(ops.keySet());
        List<Op> accepted = new ArrayList<>();
        List<Op> refused = new ArrayList<>();
        for (Op op : ops.values()) {
            List<Answer> all = answers.get(op.key());
            int expectedCount = switch (op.mode()) {
                case ONCE -> 1;
                case RACE, CONFLICT -> 2;
                case RETRY -> 3;
            };
            assertThat(all).as("answers for %s", op.key()).hasSize(expectedCount);
            Answer first = all.get(0);
            for (Answer a : all) {
                assertThat(a.status()).as("status for key %s (%s)", op.key(), all).isEqualTo(first.status());
                assertThat(a.body()).as("body for key %s", op.key()).isEqualTo(first.body());
            }
            if (op.mode() == Mode.RETRY || op.mode() == Mode.CONFLICT) {
                // answered in sequence: every answer after the first one is a replay
                assertThat(all.subList(1, all.size())).as("sequential retries of %s are replays", op.key())
                        .allMatch(Answer::replayed);
            }
            if (first.status() == 201) {
                JsonNode body = Json.read(first.body());
                assertThat(body.get("id").asText()).isEqualTo(op.id());
                assertThat(body.get("status").asText()).isEqualTo("POSTED");
                for (JsonNode leg : body.get("legs")) {
                    String account = leg.get("side").asText().equals("debit") ? op.debit() : op.credit();
                    assertThat(leg.get("account").asText()).as("leg of %s", op.id()).isEqualTo(account);
                    assertThat(minor(leg.get("amount").asText())).as("leg of %s", op.id()).isEqualTo(op.amount());
                }
                assertThat(body.get("legs")).hasSize(2);
                accepted.add(op);
            } else {
                assertThat(first.status()).as("%s: %s", op.key(), first.body()).isEqualTo(422);
                assertThat(Json.read(first.body()).get("code").asText()).isEqualTo("insufficient_funds");
                refused.add(op);
            }
        }
        for (Map.Entry<String, Answer> c : conflictAnswers.entrySet()) {
            assertThat(c.getValue().status()).as("key %s reused with another amount: %s", c.getKey(), c.getValue())
                    .isEqualTo(409);
            assertThat(Json.read(c.getValue().body()).get("code").asText())
                    .isEqualTo("idempotency_conflict");
        }
        for (Op op : ops.values()) {
            if (op.amount() == HUGE) {
                assertThat(refused).as("a wallet cannot pay %s", amount(HUGE)).contains(op);
            }
        }
        // the run really exercised both outcomes and every kind of duplicate
        assertThat(accepted.size()).as("accepted").isGreaterThan(THREADS * REQUESTS_PER_THREAD / 3);
        assertThat(refused.size()).as("refused").isGreaterThan(THREADS * REQUESTS_PER_THREAD / 20);
        for (Mode mode : Mode.values()) {
            assertThat(ops.values().stream().filter(o -> o.mode() == mode).count()).as("ops of mode " + mode)
                    .isGreaterThan(10);
        }
        System.out.printf("ConcurrentTransfersIT: %d keys, %d accepted, %d refused, load phase %d ms%n", ops.size(),
                accepted.size(), refused.size(), loadMillis);

        // ---- what the ledger must hold: exactly the accepted transfers ----
        Map<String, long[]> expected = new LinkedHashMap<>(); // account -> {debits, credits}
        expected.put(BANK, new long[2]);
        WALLETS.forEach(w -> expected.put(w, new long[2]));
        for (Op op : accepted) {
            expected.get(op.debit())[0] += op.amount();
            expected.get(op.credit())[1] += op.amount();
        }
        long checkStart = System.nanoTime();
        JsonNode trial = awaitTrialBalance(client, expected);
        System.out.printf("ConcurrentTransfersIT: projections caught up %d ms after the load%n",
                (System.nanoTime() - checkStart) / 1_000_000);

        JsonNode totals = trial.get("totals");
        assertThat(totals).hasSize(1);
        assertThat(totals.get(0).get("currency").asText()).isEqualTo(CURRENCY);
        assertThat(totals.get(0).get("accounts").asInt()).isEqualTo(1 + WALLETS.size());
        assertThat(totals.get(0).get("balanced").asBoolean()).isTrue();
        assertThat(minor(totals.get(0).get("debits").asText())).isEqualTo(minor(totals.get(0).get("credits").asText()));
        long sum = 0;
        for (JsonNode line : trial.get("accounts")) {
            sum += minor(line.get("debits").asText()) - minor(line.get("credits").asText());
        }
        assertThat(sum).as("sum of debits - credits over all accounts").isZero();

        long sumOfBalances = 0;
        for (String id : expected.keySet()) {
            JsonNode account = client.account(id).json();
            long debits = minor(account.get("debitsPosted").asText());
            long credits = minor(account.get("creditsPosted").asText());
            assertThat(debits).as("debits of %s", id).isEqualTo(expected.get(id)[0]);
            assertThat(credits).as("credits of %s", id).isEqualTo(expected.get(id)[1]);
            assertThat(minor(account.get("debitsPending").asText())).isZero();
            assertThat(minor(account.get("creditsPending").asText())).isZero();
            sumOfBalances += debits - credits;
            if (WALLETS.contains(id)) {
                assertThat(minor(account.get("balance").asText())).as("balance of %s", id)
                        .isEqualTo(credits - debits).isNotNegative();
                assertThat(account.get("available").asText()).isEqualTo(account.get("balance").asText());
            }
        }
        assertThat(sumOfBalances).isZero();

        // ---- statements: each accepted transfer exactly once on each of its two accounts ----
        Map<String, Op> byTransferId = ops.values().stream().collect(Collectors.toMap(Op::id, o -> o));
        Map<String, Integer> seen = new HashMap<>();
        int lineCount = 0;
        for (String id : expected.keySet()) {
            List<Line> lines = Ledgers.statement(client, id, 97);
            lineCount += lines.size();
            long debits = 0;
            long credits = 0;
            long previousSeq = -1;
            for (Line line : lines) {
                assertThat(line.seq()).as("statement of %s is ordered", id).isGreaterThan(previousSeq);
                previousSeq = line.seq();
                Op op = byTransferId.get(line.transferId());
                assertThat(op).as("statement line of %s for an unknown transfer: %s", id, line).isNotNull();
                assertThat(accepted).as("%s on %s's statement was accepted", line.transferId(), id).contains(op);
                assertThat(line.type()).isEqualTo("posted");
                assertThat(line.amount()).as("amount of %s on %s", op.id(), id).isEqualTo(op.amount());
                if (line.side().equals("debit")) {
                    assertThat(op.debit()).as("%s debits %s", op.id(), id).isEqualTo(id);
                    debits += line.amount();
                } else {
                    assertThat(line.side()).isEqualTo("credit");
                    assertThat(op.credit()).as("%s credits %s", op.id(), id).isEqualTo(id);
                    credits += line.amount();
                }
                assertThat(line.debitsPosted()).as("running debits of %s at %d", id, line.seq()).isEqualTo(debits);
                assertThat(line.creditsPosted()).as("running credits of %s at %d", id, line.seq()).isEqualTo(credits);
                if (WALLETS.contains(id)) {
                    // invariant 3 at every point of the account's history, not only at the end
                    assertThat(line.balance()).as("balance of %s after %s", id, op.id()).isEqualTo(credits - debits)
                            .isNotNegative();
                    assertThat(line.available()).isEqualTo(line.balance());
                }
                seen.merge(line.transferId() + "@" + id, 1, Integer::sum);
            }
        }
        for (Op op : accepted) {
            assertThat(seen.get(op.id() + "@" + op.debit())).as("%s on %s", op.id(), op.debit()).isEqualTo(1);
            assertThat(seen.get(op.id() + "@" + op.credit())).as("%s on %s", op.id(), op.credit()).isEqualTo(1);
        }
        assertThat(lineCount).as("statement lines").isEqualTo(2 * accepted.size());

        // ---- the transfer read model: accepted ones as answered, refused ones absent ----
        List<Callable<Void>> reads = new ArrayList<>();
        for (Op op : accepted) {
            reads.add(() -> {
                LedgerClient.Response view = client.awaitTransfer(op.id(),
                        t -> t.get("status").asText().equals("POSTED"));
                assertThat(view.json()).as("read of %s renders as its answer", op.id())
                        .isEqualTo(Json.read(answers.get(op.key()).get(0).body()));
                return null;
            });
        }
        for (Op op : refused) {
            reads.add(() -> {
                LedgerClient.Response view = client.get("/v1/transfers/" + op.id());
                assertThat(view.status()).as("refused %s must not exist: %s", op.id(), view).isEqualTo(404);
                return null;
            });
        }
        ExecutorService readers = Executors.newFixedThreadPool(THREADS);
        try {
            for (Future<Void> read : readers.invokeAll(reads)) {
                try {
                    read.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof AssertionError failure) {
                        throw failure;
                    }
                    throw e;
                }
            }
        } finally {
            readers.shutdownNow();
        }
        System.out.printf("ConcurrentTransfersIT: read-model checks took %d ms%n",
                (System.nanoTime() - checkStart) / 1_000_000);
    }

    // ---- the load ----

    private void load(LedgerClient client, long seed) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        ExecutorService partners = Executors.newFixedThreadPool(THREADS); // the second sender of a race
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<Void> worker = () -> {
                    Random random = new Random(seed + thread);
                    start.await();
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        Op op = plan(random, thread, i);
                        ops.put(op.key(), op);
                        run(client, op, partners);
                    }
                    return null;
                };
                done.add(workers.submit(worker));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(); // rethrows a worker's failure
            }
        } finally {
            workers.shutdownNow();
            partners.shutdownNow();
            workers.awaitTermination(10, TimeUnit.SECONDS);
            partners.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Op plan(Random random, int thread, int i) {
        double m = random.nextDouble();
        Mode mode = m < 0.55 ? Mode.ONCE : m < 0.80 ? Mode.RACE : m < 0.94 ? Mode.RETRY : Mode.CONFLICT;
        String debit;
        String credit;
        double d = random.nextDouble();
        if (d < 0.6) {
            int from = random.nextInt(WALLETS.size());
            int to = (from + 1 + random.nextInt(WALLETS.size() - 1)) % WALLETS.size();
            debit = WALLETS.get(from);
            credit = WALLETS.get(to);
        } else if (d < 0.8) {
            debit = BANK;
            credit = WALLETS.get(random.nextInt(WALLETS.size()));
        } else {
            debit = WALLETS.get(random.nextInt(WALLETS.size()));
            credit = BANK;
        }
        long amount = 1_00 + random.nextInt(300_00);
        if (!debit.equals(BANK) && random.nextDouble() < 0.08) {
            amount = HUGE;
        }
        return new Op("k-" + thread + "-" + i, "tr-" + thread + "-" + i, debit, credit, amount, mode);
    }

    private void run(LedgerClient client, Op op, ExecutorService partners) throws Exception {
        switch (op.mode()) {
            case ONCE -> record(op, send(client, op));
            case RACE -> {
                CyclicBarrier together = new CyclicBarrier(2);
                Future<LedgerClient.Response> other = partners.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return send(client, op);
                });
                together.await(30, TimeUnit.SECONDS);
                LedgerClient.Response mine = send(client, op);
                record(op, mine);
                record(op, other.get(60, TimeUnit.SECONDS));
            }
            case RETRY -> {
                record(op, send(client, op));
                record(op, send(client, op));
                Ledgers.sleep(2);
                record(op, send(client, op));
            }
            case CONFLICT -> {
                record(op, send(client, op));
                Op changed = new Op(op.key(), op.id(), op.debit(), op.credit(), op.amount() + 1, op.mode());
                LedgerClient.Response conflict = send(client, changed);
                conflictAnswers.put(op.key(), Answer.of(conflict));
                if (conflict.status() >= 500) {
                    unexpected.add(op.key() + " (conflict probe): " + conflict);
                }
                record(op, send(client, op)); // the original request still gets its answer
            }
        }
    }

    private static LedgerClient.Response send(LedgerClient client, Op op) {
        return client.transfer(op.key(), op.id(), op.debit(), op.credit(), amount(op.amount()), CURRENCY);
    }

    private void record(Op op, LedgerClient.Response response) {
        answers.computeIfAbsent(op.key(), k -> new CopyOnWriteArrayList<>()).add(Answer.of(response));
        boolean expectedShape = response.status() == 201
                || (response.status() == 422 && "insufficient_funds".equals(safeCode(response)));
        if (!expectedShape) {
            unexpected.add(op.key() + ": " + response);
        }
    }

    private static String safeCode(LedgerClient.Response response) {
        try {
            return response.code();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonNode awaitTrialBalance(LedgerClient client, Map<String, long[]> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            LedgerClient.Response response = client.get("/v1/reports/trial-balance?currency=" + CURRENCY);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            JsonNode trial = response.json();
            Map<String, String> actual = new HashMap<>();
            for (JsonNode line : trial.get("accounts")) {
                actual.put(line.get("account").asText(), minor(line.get("debits").asText()) + "/"
                        + minor(line.get("credits").asText()));
            }
            Map<String, String> wanted = new HashMap<>();
            expected.forEach((id, dc) -> wanted.put(id, dc[0] + "/" + dc[1]));
            if (actual.equals(wanted)) {
                return trial;
            }
            last = "expected " + wanted + " but the read model shows " + actual;
            Ledgers.sleep(100);
        }
        throw new AssertionError("the projections never showed exactly the accepted transfers: " + last);
    }

    /** JSON parsing of a stored answer body. */
    private static final class Json {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static JsonNode read(String body) {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
