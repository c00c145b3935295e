package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.LedgerServiceIT;
import ledger.api.TestThreads;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes: once a write is acknowledged, a read on any connection reflects it, with no
 * waiting and no retry. 8 threads make 1,000 writes between them (account opens, posted transfers,
 * pending transfers and their posting), each followed at once by reads of everything it changed:
 * the accounts (balance and available), the transfer, the statement's newest line, the balance as
 * of now, and the trial balance's totals. Each thread owns its accounts, so it knows exactly what
 * each read must show; every read that shows anything older fails the test.
 */
class ReadAfterWriteIT extends LedgerServiceIT {
    private static final int THREADS = 8;
    private static final int WRITES = 1_000;

    @Test
    void everyReadAfterAnAcknowledgedWriteReflectsIt() throws Exception {
        LedgerClient t = newTenant("ryw");
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        TestThreads.run(THREADS, 5, me -> run(t, me, writes, reads));
        assertThat(writes.get()).isGreaterThanOrEqualTo(WRITES);
        assertThat(reads.get()).as("every write was read back").isGreaterThanOrEqualTo(writes.get());
        JsonNode totals = t.get("/v1/reports/trial-balance?currency=EUR").json().path("totals").get(0);
        assertThat(totals.path("balanced").asBoolean()).isTrue();
    }

    /** One thread's writes: every write is followed by reads that must show it. */
    private static void run(LedgerClient t, int me, AtomicInteger writes, AtomicInteger reads) {
        String cash = "cash-" + me;
        String wallet = "wallet-" + me;
        expect(t.openAccount(cash, "EUR", "ASSET", "unlimited"), 201);
        count(writes);
        expect(t.account(cash), 200);
        expect(t.openAccount(wallet, "EUR", "LIABILITY", null), 201);
        count(writes);
        expect(t.account(wallet), 200);
        reads.addAndGet(2);
        long balance = 0; // wallet's posted balance, minor units
        int step = 0;
        while (true) {
            int n = writes.incrementAndGet();
            if (n > WRITES) {
                writes.decrementAndGet();
                return;
            }
            step++;
            String id = "r" + me + "-" + step;
            switch (step % 4) {
                case 0 -> { // a new account: found at once
                    String extra = "extra-" + me + "-" + step;
                    expect(t.openAccount(extra, "EUR", "LIABILITY", null), 201);
                    Response read = expect(t.account(extra), 200);
                    assertThat(read.json().path("balance").asText()).isEqualTo("0.00");
                    reads.incrementAndGet();
                }
                case 1, 2 -> { // a posted transfer: balance, transfer, statement, asOf
                    long amount = 100 + step;
                    expect(t.transfer("k-" + id, id, cash, wallet, money(amount), "EUR"), 201);
                    balance += amount;
                    Response account = expect(t.account(wallet), 200);
                    assertThat(account.json().path("balance").asText()).as("balance after " + id)
                            .isEqualTo(money(balance));
                    Response transfer = expect(t.get("/v1/transfers/" + id), 200);
                    assertThat(transfer.json().path("status").asText()).isEqualTo("POSTED");
                    Response asOf = expect(t.get("/v1/accounts/" + wallet + "?asOf="
                            + java.time.Instant.now().plusSeconds(1)), 200);
                    assertThat(asOf.json().path("balance").asText()).as("asOf after " + id).isEqualTo(money(balance));
                    reads.addAndGet(3);
                    if (step % 16 == 1) {
                        JsonNode lines = expect(t.get("/v1/accounts/" + wallet + "/entries?limit=1000"), 200)
                                .json().path("entries");
                        JsonNode last = lines.get(lines.size() - 1);
                        assertThat(last.path("transferId").asText()).isEqualTo(id);
                        assertThat(last.path("balance").asText()).isEqualTo(money(balance));
                        reads.incrementAndGet();
                    }
                }
                default -> { // a pending transfer from the wallet, then posted: available, then balance
                    long amount = 7;
                    String body = "{\"id\":\"" + id + "\",\"debitAccount\":\"" + wallet + "\",\"creditAccount\":\""
                            + cash + "\",\"amount\":\"" + money(amount) + "\",\"currency\":\"EUR\",\"pending\":true}";
                    expect(t.post("/v1/transfers", "k-" + id, body), 201);
                    Response held = expect(t.account(wallet), 200);
                    assertThat(held.json().path("available").asText()).as("available after " + id)
                            .isEqualTo(money(balance - amount));
                    assertThat(expect(t.get("/v1/transfers/" + id), 200).json().path("status").asText())
                            .isEqualTo("PENDING");
                    expect(t.post("/v1/transfers/" + id + "/post", "kp-" + id, null), 200);
                    balance -= amount;
                    Response posted = expect(t.account(wallet), 200);
                    assertThat(posted.json().path("balance").asText()).as("balance after posting " + id)
                            .isEqualTo(money(balance));
                    assertThat(posted.json().path("available").asText()).isEqualTo(money(balance));
                    assertThat(expect(t.get("/v1/transfers/" + id), 200).json().path("status").asText())
                            .isEqualTo("POSTED");
                    reads.addAndGet(4);
                    writes.incrementAndGet(); // the posting is a write of its own
                }
            }
        }
    }

    private static void count(AtomicInteger writes) {
        writes.incrementAndGet();
    }

    private static Response expect(Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }

    private static String money(long minor) {
        return java.math.BigDecimal.valueOf(minor, 2).toPlainString();
    }
}
