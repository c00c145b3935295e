package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.List;
import ledger.api.app.TransferBatch;
import java.util.concurrent.atomic.AtomicReference;
import ledger.grpc.v1.EntryLeg;
import ledger.grpc.v1.GetTransferRequest;
import ledger.grpc.v1.Leg;
import ledger.grpc.v1.PostPendingTransferRequest;
import ledger.grpc.v1.SubmitEntryRequest;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.SubmitTransfersResponse;
import ledger.grpc.v1.Transfer;
import ledger.grpc.v1.TransferResult;
import ledger.grpc.v1.VoidPendingTransferRequest;
import org.junit.jupiter.api.Test;

/** SubmitTransfers, SubmitEntry, pending transfers and GetTransfer over a real gRPC port. */
class GrpcTransfersIT extends GrpcSupport {

    @Test
    void aBatchAnswersEveryTransferWithTheTransferAsCreated() {
        Tenant t = tenant("batch");
        openBook(t, "EUR", "wallet", "shop");

        SubmitTransfersResponse response = submit(t,
                transfer("t-1", "cash-EUR", "wallet", "100.00", "EUR").putMetadata("order", "o-1"),
                transfer("t-2", "cash-EUR", "shop", "5.50", "EUR"),
                transfer("t-3", "cash-EUR", "wallet", "0.01", "EUR"));

        response.getResultsList().forEach(GrpcSupport::assertOk);
        Transfer first = response.getResults(0).getTransfer();
        assertThat(first.getId()).isEqualTo("t-1");
        assertThat(first.getKind()).isEqualTo("transfer");
        assertThat(first.getStatus()).isEqualTo("POSTED");
        assertThat(first.getLegsList()).containsExactly(
                Leg.newBuilder().setAccount("cash-EUR").setSide("debit").setAmount("100.00").setCurrency("EUR").build(),
                Leg.newBuilder().setAccount("wallet").setSide("credit").setAmount("100.00").setCurrency("EUR").build());
        assertThat(first.getMetadataMap()).containsEntry("order", "o-1");
        assertThat(first.getCreatedAt()).endsWith("Z");
        assertThat(response.getResults(1).getReplayed()).isFalse();

        // GetTransfer reads the same transfer (from the read model)
        Transfer read = awaitTransfer(t, "t-1", x -> true);
        assertThat(read).isEqualTo(first);
        awaitAccount(t, "wallet", a -> a.getBalance().equals("100.01"));
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).containsExactly("t-2");
    }

    @Test
    void aBatchWithPartialFailureAnswersEachTransferAndPostsOnlyTheGoodOnes() {
        Tenant t = tenant("partial");
        openBook(t, "EUR", "wallet", "shop");
        open(t, "usd", "USD", "LIABILITY", null);
        fund(t, "wallet", "50.00", "EUR");

        SubmitTransfersResponse response = submit(t,
                transfer("ok-1", "wallet", "shop", "10.00", "EUR"),
                transfer("funds", "wallet", "shop", "1000.00", "EUR"),
                transfer("nobody", "wallet", "nobody", "1.00", "EUR"),
                transfer("mismatch", "cash-EUR", "usd", "1.00", "EUR"),
                transfer("decimals", "wallet", "shop", "1.001", "EUR"),
                transfer("unknown-ccy", "wallet", "shop", "1.00", "XYZ"),
                transfer("no-debit", "", "shop", "1.00", "EUR"),
                transfer("no-key", "wallet", "shop", "1.00", "EUR").setIdempotencyKey(""),
                transfer("same-account", "wallet", "wallet", "1.00", "EUR"),
                transfer("ok-2", "cash-EUR", "shop", "2.00", "EUR"),
                transfer("timeout", "wallet", "shop", "1.00", "EUR").setTimeoutSeconds(60));

        List<TransferResult> results = response.getResultsList();
        assertOk(results.get(0));
        assertResult(results.get(1), "insufficient_funds");
        assertResult(results.get(2), "account_not_found");
        assertResult(results.get(3), "currency_mismatch");
        assertResult(results.get(4), "amount_invalid");
        assertResult(results.get(5), "unknown_currency");
        assertResult(results.get(6), "validation_failed");
        assertThat(results.get(6).getDetail()).contains("debit_account");
        assertResult(results.get(7), "validation_failed");
        assertThat(results.get(7).getDetail()).contains("idempotency_key");
        assertResult(results.get(8), "validation_failed");
        assertOk(results.get(9));
        assertResult(results.get(10), "validation_failed");

        List<String> wallet = settledTransferIds(t, "wallet", "EUR", "0.01");
        assertThat(wallet).hasSize(2);
        assertThat(wallet.get(0)).startsWith("fund-");
        assertThat(wallet.get(1)).isEqualTo("ok-1");
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).containsExactlyInAnyOrder("ok-1", "ok-2");
        assertNoTransfers(t, "EUR", "0.01", List.of("funds", "nobody", "mismatch", "decimals", "unknown-ccy",
                "no-debit", "no-key", "same-account", "timeout"));
        assertThat(account(t, "wallet").getBalance()).isEqualTo("40.01");
    }

    @Test
    void batchLimits() {
        Tenant t = tenant("limits");
        openBook(t, "EUR", "wallet");
        assertThat(t.ledger().submitTransfers(SubmitTransfersRequest.getDefaultInstance()).getResultsCount()).isZero();

        // 8,190 transfers are one batch (most are refused while being read, so the test stays quick)
        SubmitTransfersRequest.Builder full = SubmitTransfersRequest.newBuilder();
        for (int i = 0; i < TransferBatch.TRANSFERS_MAX; i++) {
            full.addTransfers(transfer("t-" + i, "cash-EUR", "wallet", "1.00", i % 100 == 0 ? "EUR" : "XYZ"));
        }
        List<TransferResult> results = submit(t, full.build()).getResultsList();
        for (int i = 0; i < results.size(); i++) {
            if (i % 100 == 0) {
                assertOk(results.get(i));
            } else {
                assertResult(results.get(i), "unknown_currency");
            }
        }
        awaitAccount(t, "wallet", a -> a.getBalance().equals("82.00"));

        SubmitTransfersRequest.Builder tooMany = SubmitTransfersRequest.newBuilder();
        for (int i = 0; i < TransferBatch.TRANSFERS_MAX + 1; i++) {
            tooMany.addTransfers(transfer("t-" + i, "a", "b", "1.00", "EUR"));
        }
        assertThat(assertRefused(() -> t.ledger().submitTransfers(tooMany.build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed").getStatus().getDescription()).contains("8190");
    }

    @Test
    void pendingTransfersArePostedInPartOrVoided() {
        Tenant t = tenant("pending");
        openBook(t, "EUR", "wallet", "shop");
        fund(t, "wallet", "100.00", "EUR");

        List<TransferResult> holds = submit(t,
                transfer("hold-1", "wallet", "shop", "30.00", "EUR").setPending(true),
                transfer("hold-2", "wallet", "shop", "20.00", "EUR").setPending(true).setTimeoutSeconds(3600))
                .getResultsList();
        assertThat(holds.get(0).getTransfer().getStatus()).isEqualTo("PENDING");
        assertThat(holds.get(0).getTransfer().getExpiresAt()).isEmpty();
        assertThat(holds.get(1).getTransfer().getExpiresAt()).isNotEmpty();
        awaitAccount(t, "wallet", a -> a.getAvailable().equals("50.00") && a.getDebitsPending().equals("50.00"));

        String postKey = key();
        AtomicReference<Metadata> headers = new AtomicReference<>();
        Transfer posted = t.capturing(headers).postPendingTransfer(PostPendingTransferRequest.newBuilder()
                .setTransferId("hold-1").setAmount("20.00").setIdempotencyKey(postKey).build());
        assertThat(posted.getStatus()).isEqualTo("POSTED");
        assertThat(posted.getPostedAmount()).isEqualTo("20.00");
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isNull();
        // the same key and request: the same answer, marked as replayed
        Transfer again = t.capturing(headers).postPendingTransfer(PostPendingTransferRequest.newBuilder()
                .setTransferId("hold-1").setAmount("20.00").setIdempotencyKey(postKey).build());
        assertThat(again).isEqualTo(posted);
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isEqualTo("true");

        assertRefused(() -> t.ledger().postPendingTransfer(PostPendingTransferRequest.newBuilder()
                .setTransferId("hold-2").setAmount("20.01").setIdempotencyKey(key()).build()),
                Status.Code.INVALID_ARGUMENT, "amount_invalid");
        Transfer voided = t.ledger().voidPendingTransfer(VoidPendingTransferRequest.newBuilder()
                .setTransferId("hold-2").setIdempotencyKey(key()).build());
        assertThat(voided.getStatus()).isEqualTo("VOIDED");
        assertRefused(() -> t.ledger().voidPendingTransfer(VoidPendingTransferRequest.newBuilder()
                .setTransferId("hold-2").setIdempotencyKey(key()).build()),
                Status.Code.FAILED_PRECONDITION, "transfer_not_pending");
        assertRefused(() -> t.ledger().postPendingTransfer(PostPendingTransferRequest.newBuilder()
                .setTransferId("hold-1").setIdempotencyKey(key()).build()),
                Status.Code.FAILED_PRECONDITION, "transfer_not_pending");
        assertRefused(() -> t.ledger().postPendingTransfer(PostPendingTransferRequest.newBuilder()
                .setTransferId("nothing").setIdempotencyKey(key()).build()),
                Status.Code.NOT_FOUND, "transfer_not_found");
        assertRefused(() -> t.ledger().voidPendingTransfer(VoidPendingTransferRequest.newBuilder()
                .setTransferId("hold-1").build()), Status.Code.INVALID_ARGUMENT, "validation_failed");

        awaitAccount(t, "wallet", a -> a.getBalance().equals("80.00") && a.getAvailable().equals("80.00")
                && a.getDebitsPending().equals("0.00"));
        assertThat(awaitTransfer(t, "hold-2", x -> x.getStatus().equals("VOIDED")).getStatus()).isEqualTo("VOIDED");
        assertThat(awaitTransfer(t, "hold-1", x -> x.getStatus().equals("POSTED")).getPostedAmount())
                .isEqualTo("20.00");
    }

    @Test
    void anEntryPostsAllLegsOrNone() {
        Tenant t = tenant("entry");
        openBook(t, "EUR", "wallet", "shop");

        Transfer entry = t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("e-1")
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit("10.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("wallet").setCredit("6.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("shop").setCredit("4.00"))
                .putMetadata("memo", "split").setIdempotencyKey(key()).build());
        assertThat(entry.getKind()).isEqualTo("entry");
        assertThat(entry.getStatus()).isEqualTo("POSTED");
        assertThat(entry.getLegsCount()).isEqualTo(3);
        assertThat(entry.getMetadataMap()).containsEntry("memo", "split");

        assertRefused(() -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("e-2")
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit("10.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("wallet").setCredit("9.99"))
                .setIdempotencyKey(key()).build()), Status.Code.FAILED_PRECONDITION, "unbalanced_entry");
        assertRefused(() -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("e-3")
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit("10.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("wallet"))
                .setIdempotencyKey(key()).build()), Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("e-4")
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit("10.00"))
                .setIdempotencyKey(key()).build()), Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("e-5")
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit("1.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("nobody").setCredit("1.00"))
                .setIdempotencyKey(key()).build()), Status.Code.NOT_FOUND, "account_not_found");

        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).containsExactly("e-1");
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).containsExactly("e-1");
        assertNoTransfers(t, "EUR", "0.01", List.of("e-2", "e-3", "e-4", "e-5"));
        assertThat(t.ledger().getTransfer(GetTransferRequest.newBuilder().setTransferId("e-1").build()))
                .isEqualTo(entry);
    }
}
