package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import ledger.api.LedgerClient;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.EntryLeg;
import ledger.grpc.v1.OpenAccountRequest;
import ledger.grpc.v1.SubmitEntryRequest;
import ledger.grpc.v1.Transfer;
import ledger.grpc.v1.TransferResult;
import org.junit.jupiter.api.Test;

/** Idempotency keys on gRPC: per transfer, inside one batch, across batches, shared with REST. */
class GrpcIdempotencyIT extends GrpcSupport {

    @Test
    void aKeyRepeatedInsideOneBatchIsAnsweredOnce() {
        Tenant t = tenant("idem-batch");
        openBook(t, "EUR", "wallet", "shop");
        String k = key();
        String refusedKey = key();

        List<TransferResult> results = submit(t,
                transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR").setIdempotencyKey(k),
                transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR").setIdempotencyKey(k),
                transfer("t-2", "cash-EUR", "shop", "99.00", "EUR").setIdempotencyKey(k),
                transfer("t-3", "wallet", "shop", "500.00", "EUR").setIdempotencyKey(refusedKey),
                transfer("t-3", "wallet", "shop", "500.00", "EUR").setIdempotencyKey(refusedKey),
                transfer("t-1", "cash-EUR", "shop", "1.00", "EUR")).getResultsList();

        assertOk(results.get(0));
        assertThat(results.get(0).getReplayed()).isFalse();
        assertOk(results.get(1));
        assertThat(results.get(1).getReplayed()).isTrue();
        assertThat(results.get(1).getTransfer()).isEqualTo(results.get(0).getTransfer());
        assertResult(results.get(2), "idempotency_conflict");
        assertResult(results.get(3), "insufficient_funds");
        assertThat(results.get(3).getReplayed()).isFalse();
        assertResult(results.get(4), "insufficient_funds");
        assertThat(results.get(4).getReplayed()).isTrue();
        // the same id with other content under another key: the earlier transfer of the batch wins
        assertResult(results.get(5), "transfer_id_conflict");
        assertThat(results.get(5).getFieldsList()).containsExactly("credit_account", "amount");

        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).containsExactly("t-1");
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).isEmpty();
        assertNoTransfers(t, "EUR", "0.01", List.of("t-2", "t-3"));
    }

    @Test
    void aKeyRepeatedAcrossBatchesReplaysItsAnswerOrIsAConflict() {
        Tenant t = tenant("idem-across");
        openBook(t, "EUR", "wallet", "shop");
        String ok = key();
        String refused = key();

        List<TransferResult> first = submit(t,
                transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR").setIdempotencyKey(ok),
                transfer("t-2", "wallet", "shop", "50.00", "EUR").setIdempotencyKey(refused)).getResultsList();
        assertOk(first.get(0));
        assertResult(first.get(1), "insufficient_funds");
        fund(t, "wallet", "100.00", "EUR");

        // a retry: the stored answers, even though t-2 would now succeed
        List<TransferResult> retry = submit(t,
                transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR").setIdempotencyKey(ok),
                transfer("t-2", "wallet", "shop", "50.00", "EUR").setIdempotencyKey(refused)).getResultsList();
        assertThat(retry.get(0).getReplayed()).isTrue();
        assertThat(retry.get(0).getTransfer()).isEqualTo(first.get(0).getTransfer());
        assertResult(retry.get(1), "insufficient_funds");
        assertThat(retry.get(1).getReplayed()).isTrue();
        assertThat(retry.get(1).getDetail()).isEqualTo(first.get(1).getDetail());

        // the keys with other requests: conflicts, nothing posted
        List<TransferResult> other = submit(t,
                transfer("t-1", "cash-EUR", "wallet", "10.01", "EUR").setIdempotencyKey(ok),
                transfer("t-9", "wallet", "shop", "50.00", "EUR").setIdempotencyKey(refused),
                transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR").setIdempotencyKey(ok).setLinked(true),
                transfer("t-5", "cash-EUR", "shop", "1.00", "EUR")).getResultsList();
        assertResult(other.get(0), "idempotency_conflict");
        assertResult(other.get(1), "idempotency_conflict");
        // linked: true is part of the request: another request under that key
        assertResult(other.get(2), "idempotency_conflict");
        assertResult(other.get(3), "linked_event_failed");

        List<String> wallet = settledTransferIds(t, "wallet", "EUR", "0.01");
        assertThat(wallet).hasSize(2);
        assertThat(wallet.get(0)).isEqualTo("t-1");
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).isEmpty();
        assertNoTransfers(t, "EUR", "0.01", List.of("t-2", "t-9", "t-5"));
    }

    /** A batch of one transfer is sent without looking its key up first: retries must still only replay. */
    @Test
    void aLoneTransferRetriedReplaysItsAnswerAndPostsNothingNew() {
        Tenant t = tenant("idem-lone");
        openBook(t, "EUR", "wallet", "shop");
        String ok = key();
        String refused = key();
        TransferResult posted = submit(t, transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR")
                .setIdempotencyKey(ok)).getResults(0);
        assertOk(posted);
        TransferResult short_ = submit(t, transfer("t-2", "wallet", "shop", "50.00", "EUR")
                .setIdempotencyKey(refused)).getResults(0);
        assertResult(short_, "insufficient_funds");
        fund(t, "wallet", "100.00", "EUR");

        TransferResult again = submit(t, transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR")
                .setIdempotencyKey(ok)).getResults(0);
        assertOk(again);
        assertThat(again.getReplayed()).isTrue();
        assertThat(again.getTransfer()).isEqualTo(posted.getTransfer());
        // t-2 would succeed now; its key's stored refusal is the answer and nothing is posted
        TransferResult stillShort = submit(t, transfer("t-2", "wallet", "shop", "50.00", "EUR")
                .setIdempotencyKey(refused)).getResults(0);
        assertResult(stillShort, "insufficient_funds");
        assertThat(stillShort.getReplayed()).isTrue();
        assertThat(stillShort.getDetail()).isEqualTo(short_.getDetail());
        // a key reused for another transfer (a new id, so the transfer itself would pass)
        assertResult(submit(t, transfer("t-3", "cash-EUR", "wallet", "7.00", "EUR").setIdempotencyKey(ok))
                .getResults(0), "idempotency_conflict");
        assertResult(submit(t, transfer("t-4", "cash-EUR", "shop", "7.00", "EUR").setIdempotencyKey(refused))
                .getResults(0), "idempotency_conflict");

        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).hasSize(2).startsWith("t-1");
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).isEmpty();
        assertNoTransfers(t, "EUR", "0.01", List.of("t-2", "t-3", "t-4"));
    }

    @Test
    void keysAreSharedWithRest() {
        Tenant t = tenant("idem-rest");
        openBook(t, "EUR", "wallet");
        String k = key();

        LedgerClient.Response rest = t.rest().transfer(k, "t-1", "cash-EUR", "wallet", "10.00", "EUR");
        assertThat(rest.status()).as(rest.toString()).isEqualTo(201);
        TransferResult replay = submit(t, transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR").setIdempotencyKey(k))
                .getResults(0);
        assertOk(replay);
        assertThat(replay.getReplayed()).isTrue();
        assertThat(replay.getTransfer().getCreatedAt()).isEqualTo(rest.json().get("createdAt").asText());
        assertResult(submit(t, transfer("t-1", "cash-EUR", "wallet", "20.00", "EUR").setIdempotencyKey(k))
                .getResults(0), "idempotency_conflict");

        String g = key();
        TransferResult grpc = submit(t, transfer("t-2", "cash-EUR", "wallet", "5.00", "EUR").setIdempotencyKey(g))
                .getResults(0);
        assertOk(grpc);
        LedgerClient.Response restReplay = t.rest().transfer(g, "t-2", "cash-EUR", "wallet", "5.00", "EUR");
        assertThat(restReplay.status()).as(restReplay.toString()).isEqualTo(201);
        assertThat(restReplay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(restReplay.json().get("createdAt").asText()).isEqualTo(grpc.getTransfer().getCreatedAt());
        assertThat(t.rest().transfer(g, "t-3", "cash-EUR", "wallet", "5.00", "EUR").code())
                .isEqualTo("idempotency_conflict");

        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).containsExactly("t-1", "t-2");
    }

    @Test
    void unaryCommandsReplayTheirAnswerAndRefuseAnotherRequestUnderTheirKey() {
        Tenant t = tenant("idem-unary");
        openBook(t, "EUR", "wallet", "shop");
        AtomicReference<Metadata> headers = new AtomicReference<>();

        String openKey = key();
        OpenAccountRequest open = OpenAccountRequest.newBuilder().setId("extra").setCurrency("EUR")
                .setKind("LIABILITY").setIdempotencyKey(openKey).build();
        Account opened = t.capturing(headers).openAccount(open);
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isNull();
        assertThat(t.capturing(headers).openAccount(open)).isEqualTo(opened);
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isEqualTo("true");
        assertRefused(() -> t.ledger().openAccount(open.toBuilder().setCurrency("USD").build()),
                Status.Code.ALREADY_EXISTS, "idempotency_conflict");

        String entryKey = key();
        SubmitEntryRequest entry = SubmitEntryRequest.newBuilder().setId("e-1")
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit("3.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("wallet").setCredit("3.00"))
                .setIdempotencyKey(entryKey).build();
        Transfer posted = t.ledger().submitEntry(entry);
        assertThat(t.capturing(headers).submitEntry(entry)).isEqualTo(posted);
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isEqualTo("true");
        assertRefused(() -> t.ledger().submitEntry(entry.toBuilder().setId("e-2").build()),
                Status.Code.ALREADY_EXISTS, "idempotency_conflict");

        // a refusal is remembered too, and says it was replayed
        SubmitEntryRequest over = SubmitEntryRequest.newBuilder().setId("e-3")
                .addLegs(EntryLeg.newBuilder().setAccount("wallet").setDebit("300.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("shop").setCredit("300.00"))
                .setIdempotencyKey(key()).build();
        assertThat(errorInfo(assertRefused(() -> t.ledger().submitEntry(over), Status.Code.FAILED_PRECONDITION,
                "insufficient_funds")).getMetadataMap()).doesNotContainKey("replayed");
        assertThat(errorInfo(assertRefused(() -> t.ledger().submitEntry(over), Status.Code.FAILED_PRECONDITION,
                "insufficient_funds")).getMetadataMap()).containsEntry("replayed", "true");

        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).containsExactly("e-1");
    }
}
