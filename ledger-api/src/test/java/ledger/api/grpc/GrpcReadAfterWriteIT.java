package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.TestThreads;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.GetTransferRequest;
import ledger.grpc.v1.PostPendingTransferRequest;
import ledger.grpc.v1.StatementLine;
import ledger.grpc.v1.TransferResult;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes over gRPC: 8 threads make 1,000 writes between them (posted transfers, pending
 * transfers and their posting, account opens), each followed at once, with no waiting or retry, by
 * the gRPC reads of what it changed: {@code GetAccount} (balance, available), {@code GetTransfer}
 * and, now and then, {@code GetStatement}. Each thread owns its accounts, so it knows what each
 * read must show.
 */
class GrpcReadAfterWriteIT extends GrpcSupport {
    private static final int THREADS = 8;
    private static final int WRITES = 1_000;

    @Test
    void everyGrpcReadAfterAnAcknowledgedWriteReflectsIt() throws Exception {
        Tenant t = tenant("g-ryw");
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        TestThreads.run(THREADS, 5, me -> run(t, me, writes, reads));
        assertThat(writes.get()).isGreaterThanOrEqualTo(WRITES);
        assertThat(reads.get()).as("every write was read back").isGreaterThanOrEqualTo(writes.get());
    }

    private static void run(Tenant t, int me, AtomicInteger writes, AtomicInteger reads) {
        String cash = "cash-" + me;
        String wallet = "wallet-" + me;
        open(t, cash, "EUR", "ASSET", "unlimited");
        open(t, wallet, "EUR", "LIABILITY", null);
        writes.addAndGet(2);
        assertThat(account(t, wallet).getBalance()).isEqualTo("0.00");
        reads.incrementAndGet();
        long balance = 0;
        for (int step = 1; writes.incrementAndGet() <= WRITES; step++) {
            String id = "g" + me + "-" + step;
            switch (step % 4) {
                case 0 -> {
                    String extra = "extra-" + me + "-" + step;
                    open(t, extra, "EUR", "LIABILITY", null);
                    assertThat(account(t, extra).getBalance()).as("opened " + extra).isEqualTo("0.00");
                    reads.incrementAndGet();
                }
                case 1, 2 -> {
                    long amount = 100 + step;
                    TransferResult posted = submit(t, transfer(id, cash, wallet, money(amount), "EUR")).getResults(0);
                    assertThat(posted.getOk()).as(posted.toString()).isTrue();
                    balance += amount;
                    assertThat(account(t, wallet).getBalance()).as("balance after " + id).isEqualTo(money(balance));
                    assertThat(transfer(t, id).getStatus()).isEqualTo("POSTED");
                    reads.addAndGet(2);
                    if (step % 16 == 1) {
                        List<StatementLine> lines = statement(t, wallet);
                        assertThat(lines.get(lines.size() - 1).getTransferId()).isEqualTo(id);
                        reads.incrementAndGet();
                    }
                }
                default -> {
                    long amount = 7;
                    TransferResult held = submit(t, transfer(id, wallet, cash, money(amount), "EUR").setPending(true))
                            .getResults(0);
                    assertThat(held.getOk()).as(held.toString()).isTrue();
                    Account pending = account(t, wallet);
                    assertThat(pending.getAvailable()).as("available after " + id).isEqualTo(money(balance - amount));
                    assertThat(transfer(t, id).getStatus()).isEqualTo("PENDING");
                    t.ledger().postPendingTransfer(PostPendingTransferRequest.newBuilder().setTransferId(id)
                            .setIdempotencyKey(key()).build());
                    writes.incrementAndGet();
                    balance -= amount;
                    Account posted = account(t, wallet);
                    assertThat(posted.getBalance()).as("balance after posting " + id).isEqualTo(money(balance));
                    assertThat(posted.getAvailable()).isEqualTo(money(balance));
                    assertThat(transfer(t, id).getStatus()).isEqualTo("POSTED");
                    reads.addAndGet(4);
                }
            }
        }
    }

    private static ledger.grpc.v1.Transfer transfer(Tenant t, String id) {
        return t.ledger().getTransfer(GetTransferRequest.newBuilder().setTransferId(id).build());
    }

    private static String money(long minor) {
        return java.math.BigDecimal.valueOf(minor, 2).toPlainString();
    }
}
