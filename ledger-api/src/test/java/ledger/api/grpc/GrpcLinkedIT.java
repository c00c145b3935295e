package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import ledger.grpc.v1.NewTransfer;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.TransferResult;
import org.junit.jupiter.api.Test;

/** Linked transfers: a chain succeeds or fails as a whole, in order, in one transaction. */
class GrpcLinkedIT extends GrpcSupport {

    @Test
    void aChainWhoseLastTransferFailsPostsNothingOfTheChain() {
        Tenant t = tenant("chain-fail");
        openBook(t, "EUR", "wallet", "shop");
        fund(t, "wallet", "100.00", "EUR");

        SubmitTransfersRequest chain = request(
                transfer("c-1", "cash-EUR", "wallet", "10.00", "EUR").setLinked(true),
                transfer("c-2", "wallet", "shop", "20.00", "EUR").setLinked(true),
                transfer("c-3", "wallet", "shop", "1000.00", "EUR"),
                transfer("alone", "cash-EUR", "shop", "1.00", "EUR"));
        List<TransferResult> results = submit(t, chain).getResultsList();
        assertResult(results.get(0), "linked_event_failed");
        assertThat(results.get(0).getDetail()).contains("transfers[2]").contains("insufficient_funds");
        assertResult(results.get(1), "linked_event_failed");
        assertResult(results.get(2), "insufficient_funds");
        assertOk(results.get(3));

        List<String> wallet = settledTransferIds(t, "wallet", "EUR", "0.01");
        assertThat(wallet).hasSize(1).allMatch(id -> id.startsWith("fund-"));
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).containsExactly("alone");
        assertNoTransfers(t, "EUR", "0.01", List.of("c-1", "c-2", "c-3"));
        // nothing of the rolled-back chain lingers in memory either: the whole balance can move
        assertThat(account(t, "wallet").getAvailable()).isEqualTo("100.01");
        assertOk(submit(t, transfer("all", "wallet", "shop", "100.01", "EUR")).getResults(0));

        // the same chain with the same keys: the same answers, replayed, and still nothing posted
        List<TransferResult> again = submit(t, chain).getResultsList();
        for (int i = 0; i < 3; i++) {
            assertThat(again.get(i).getCode()).isEqualTo(results.get(i).getCode());
            assertThat(again.get(i).getReplayed()).as(again.get(i).toString()).isTrue();
        }
        assertThat(again.get(3).getReplayed()).isTrue();
        assertThat(again.get(3).getTransfer()).isEqualTo(results.get(3).getTransfer());
        assertNoTransfers(t, "EUR", "0.01", List.of("c-1", "c-2", "c-3"));
    }

    @Test
    void aGoodChainPostsEveryTransferInOrder() {
        Tenant t = tenant("chain-ok");
        openBook(t, "EUR", "wallet", "shop", "bank");

        // wallet starts empty and has no overdraft: c-2 works only after c-1, c-3 only after c-2
        SubmitTransfersRequest chain = request(
                transfer("c-1", "cash-EUR", "wallet", "50.00", "EUR").setLinked(true),
                transfer("c-2", "wallet", "shop", "50.00", "EUR").setLinked(true),
                transfer("c-3", "shop", "bank", "30.00", "EUR").setPending(true).setTimeoutSeconds(3600)
                        .setLinked(true),
                transfer("c-4", "shop", "wallet", "20.00", "EUR"),
                transfer("d-1", "cash-EUR", "bank", "1.00", "EUR").setLinked(true),
                transfer("d-2", "cash-EUR", "shop", "1.00", "EUR"));
        List<TransferResult> results = submit(t, chain).getResultsList();
        results.forEach(GrpcSupport::assertOk);
        assertThat(results.get(2).getTransfer().getStatus()).isEqualTo("PENDING");
        assertThat(results.get(3).getTransfer().getId()).isEqualTo("c-4");

        awaitAccount(t, "wallet", a -> a.getBalance().equals("20.00"));
        awaitAccount(t, "shop", a -> a.getBalance().equals("31.00") && a.getAvailable().equals("1.00")
                && a.getDebitsPending().equals("30.00"));
        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).containsExactly("c-1", "c-2", "c-4");

        List<TransferResult> again = submit(t, chain).getResultsList();
        for (int i = 0; i < results.size(); i++) {
            assertThat(again.get(i).getReplayed()).as(again.get(i).toString()).isTrue();
            assertThat(again.get(i).getTransfer()).isEqualTo(results.get(i).getTransfer());
        }
        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).as("nothing posted again").hasSize(4)
                .startsWith("c-1", "c-2", "c-4");
    }

    @Test
    void aChainThatCannotBeSentFailsAsAWhole() {
        Tenant t = tenant("chain-bad");
        openBook(t, "EUR", "wallet", "shop");

        String repeated = key();
        List<TransferResult> results = submit(t, request(
                // a malformed member: nothing of its chain is sent
                transfer("m-1", "cash-EUR", "wallet", "1.00", "EUR").setLinked(true),
                transfer("m-2", "cash-EUR", "wallet", "1.001", "EUR").setLinked(true),
                transfer("m-3", "cash-EUR", "wallet", "1.00", "EUR"),
                // one idempotency key twice in one chain
                transfer("k-1", "cash-EUR", "wallet", "1.00", "EUR").setIdempotencyKey(repeated).setLinked(true),
                transfer("k-2", "cash-EUR", "shop", "1.00", "EUR").setIdempotencyKey(repeated),
                // one transfer id twice in one chain
                transfer("d-1", "cash-EUR", "wallet", "1.00", "EUR").setLinked(true),
                transfer("d-1", "cash-EUR", "shop", "1.00", "EUR"),
                // an unknown account in the middle
                transfer("n-1", "cash-EUR", "wallet", "1.00", "EUR").setLinked(true),
                transfer("n-2", "cash-EUR", "nobody", "1.00", "EUR").setLinked(true),
                transfer("n-3", "cash-EUR", "shop", "1.00", "EUR"),
                // fine on its own
                transfer("ok", "cash-EUR", "shop", "2.00", "EUR"),
                // the batch ends inside a chain
                transfer("o-1", "cash-EUR", "wallet", "1.00", "EUR").setLinked(true),
                transfer("o-2", "cash-EUR", "wallet", "1.00", "EUR").setLinked(true))).getResultsList();

        assertResult(results.get(0), "linked_event_failed");
        assertResult(results.get(1), "amount_invalid");
        assertResult(results.get(2), "linked_event_failed");
        assertResult(results.get(3), "linked_event_failed");
        assertResult(results.get(4), "validation_failed");
        assertResult(results.get(5), "linked_event_failed");
        assertResult(results.get(6), "duplicate_id");
        assertResult(results.get(7), "linked_event_failed");
        assertResult(results.get(8), "account_not_found");
        assertResult(results.get(9), "linked_event_failed");
        assertOk(results.get(10));
        assertResult(results.get(11), "linked_event_failed");
        assertResult(results.get(12), "validation_failed");
        assertThat(results.get(12).getDetail()).contains("linked");

        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).isEmpty();
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).containsExactly("ok");
        assertNoTransfers(t, "EUR", "0.01", List.of("m-1", "m-2", "m-3", "k-1", "k-2", "d-1", "n-1", "n-2",
                "n-3", "o-1", "o-2"));
    }

    private static SubmitTransfersRequest request(NewTransfer.Builder... transfers) {
        SubmitTransfersRequest.Builder request = SubmitTransfersRequest.newBuilder();
        for (NewTransfer.Builder transfer : transfers) {
            request.addTransfers(transfer);
        }
        return request.build();
    }
}
