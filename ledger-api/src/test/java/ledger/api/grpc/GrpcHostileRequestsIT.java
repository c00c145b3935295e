package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.EntryLeg;
import ledger.grpc.v1.FreezeAccountRequest;
import ledger.grpc.v1.GetAccountRequest;
import ledger.grpc.v1.GetStatementRequest;
import ledger.grpc.v1.NewTransfer;
import ledger.grpc.v1.OpenAccountRequest;
import ledger.grpc.v1.PostPendingTransferRequest;
import ledger.grpc.v1.SubmitEntryRequest;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.TransferResult;
import ledger.grpc.v1.VoidPendingTransferRequest;
import org.junit.jupiter.api.Test;

/**
 * The gRPC side of the hostile corpus: transfers in a batch refused one by one with the REST code
 * (odd amounts and currencies, tricky ids, missing or malformed keys, oversized metadata, another
 * tenant's accounts), and unary calls refused with their documented status and an ErrorInfo reason.
 * Nothing of it changes the books.
 */
class GrpcHostileRequestsIT extends GrpcSupport {

    @Test
    void hostileTransfersInABatchAreEachRefusedAndChangeNothing() {
        Tenant t = tenant("g-hostile");
        openBook(t, "EUR", "wallet", "shop");
        fund(t, "wallet", "100.00", "EUR");
        Tenant victim = tenant("g-victim");
        openBook(victim, "EUR", "vault");
        Account walletBefore = account(t, "wallet");
        Account shopBefore = account(t, "shop");

        List<NewTransfer.Builder> hostile = new ArrayList<>();
        for (String amount : List.of("1e2", "0x10", "+5", "-5", "0", "0.001", ".5", "5.", "NaN", "Infinity", "1,00",
                "1 000", "\uFF11.00", "\u0661", "99999999999999999999", "", " 1.00", "1.00 ", "one")) {
            hostile.add(transfer("g-t", "wallet", "shop", amount, "EUR"));
        }
        for (String currency : List.of("eur", "XXX", "EURO", "", "€", "US$")) {
            hostile.add(transfer("g-t", "wallet", "shop", "1.00", currency));
        }
        for (String id : List.of("", " ", "a/b", "../x", "x".repeat(129), "'; DROP TABLE account_line; --",
                "t\u202E", "t\u0000", "<script>")) {
            hostile.add(transfer(id, "wallet", "shop", "1.00", "EUR"));
            hostile.add(transfer("g-t", id, "shop", "1.00", "EUR"));
        }
        hostile.add(transfer("g-t", "vault", "shop", "1.00", "EUR")); // another tenant's account
        hostile.add(transfer("g-t", "wallet", "wallet", "1.00", "EUR"));
        hostile.add(transfer("g-t", "wallet", "shop", "1000.00", "EUR")); // past the overdraft limit
        hostile.add(transfer("g-t", "wallet", "shop", "1.00", "EUR").setIdempotencyKey(""));
        hostile.add(transfer("g-t", "wallet", "shop", "1.00", "EUR").setIdempotencyKey("k".repeat(256)));
        hostile.add(transfer("g-t", "wallet", "shop", "1.00", "EUR").setIdempotencyKey("a key"));
        hostile.add(transfer("g-t", "wallet", "shop", "1.00", "EUR").setTimeoutSeconds(10)); // not pending
        hostile.add(transfer("g-t", "wallet", "shop", "1.00", "EUR").setPending(true).setTimeoutSeconds(-1));
        NewTransfer.Builder tooMuchMetadata = transfer("g-t", "wallet", "shop", "1.00", "EUR");
        for (int i = 0; i < 33; i++) {
            tooMuchMetadata.putMetadata("k" + i, "v");
        }
        hostile.add(tooMuchMetadata);
        hostile.add(transfer("g-t", "wallet", "shop", "1.00", "EUR").putMetadata("k".repeat(65), "v"));
        hostile.add(transfer("g-t", "wallet", "shop", "1.00", "EUR").putMetadata("k", "v".repeat(513)));

        SubmitTransfersRequest.Builder request = SubmitTransfersRequest.newBuilder();
        hostile.forEach(request::addTransfers);
        List<TransferResult> results = submit(t, request.build()).getResultsList();
        assertThat(results).hasSize(hostile.size());
        Set<String> codes = Set.of("validation_failed", "amount_invalid", "unknown_currency", "account_not_found",
                "insufficient_funds", "currency_mismatch");
        List<String> wrong = new ArrayList<>();
        for (TransferResult result : results) {
            if (result.getOk() || !codes.contains(result.getCode()) || result.getDetail().isBlank()) {
                wrong.add(result.getIndex() + " " + hostile.get(result.getIndex()).build() + " -> " + result);
            }
        }
        assertThat(wrong).as("%d hostile transfers", hostile.size()).isEmpty();

        // unary calls
        record Call(String name, Runnable call, Status.Code status, String reason) {
        }
        List<Call> calls = List.of(
                new Call("open: unknown currency", () -> t.ledger().openAccount(OpenAccountRequest.newBuilder()
                        .setId("g-new").setCurrency("XXX").setKind("ASSET").build()), Status.Code.INVALID_ARGUMENT,
                        "unknown_currency"),
                new Call("open: unknown kind", () -> t.ledger().openAccount(OpenAccountRequest.newBuilder()
                        .setId("g-new").setCurrency("EUR").setKind("MONEY").build()), Status.Code.INVALID_ARGUMENT,
                        "validation_failed"),
                new Call("open: no id", () -> t.ledger().openAccount(OpenAccountRequest.newBuilder()
                        .setCurrency("EUR").setKind("ASSET").build()), Status.Code.INVALID_ARGUMENT, "validation_failed"),
                new Call("open: existing", () -> t.ledger().openAccount(OpenAccountRequest.newBuilder()
                        .setId("wallet").setCurrency("EUR").setKind("LIABILITY").build()), Status.Code.ALREADY_EXISTS,
                        "duplicate_id"),
                new Call("open: bad overdraft", () -> t.ledger().openAccount(OpenAccountRequest.newBuilder()
                        .setId("g-new").setCurrency("EUR").setKind("ASSET").setOverdraftLimit("-1").build()),
                        Status.Code.INVALID_ARGUMENT, null),
                new Call("entry: one leg", () -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("g-e")
                        .setIdempotencyKey(key()).addLegs(EntryLeg.newBuilder().setAccount("wallet").setDebit("1.00"))
                        .build()), Status.Code.INVALID_ARGUMENT, "validation_failed"),
                new Call("entry: unbalanced", () -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("g-e")
                        .setIdempotencyKey(key()).addLegs(EntryLeg.newBuilder().setAccount("wallet").setDebit("1.00"))
                        .addLegs(EntryLeg.newBuilder().setAccount("shop").setCredit("2.00")).build()),
                        Status.Code.FAILED_PRECONDITION, "unbalanced_entry"),
                new Call("entry: no key", () -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("g-e")
                        .addLegs(EntryLeg.newBuilder().setAccount("wallet").setDebit("1.00"))
                        .addLegs(EntryLeg.newBuilder().setAccount("shop").setCredit("1.00")).build()),
                        Status.Code.INVALID_ARGUMENT, "validation_failed"),
                new Call("entry: leg without an amount", () -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder()
                        .setId("g-e").setIdempotencyKey(key()).addLegs(EntryLeg.newBuilder().setAccount("wallet"))
                        .addLegs(EntryLeg.newBuilder().setAccount("shop").setCredit("1.00")).build()),
                        Status.Code.INVALID_ARGUMENT, "validation_failed"),
                new Call("post: unknown transfer", () -> t.ledger().postPendingTransfer(PostPendingTransferRequest
                        .newBuilder().setTransferId("g-none").setIdempotencyKey(key()).build()), Status.Code.NOT_FOUND,
                        "transfer_not_found"),
                new Call("void: unknown transfer", () -> t.ledger().voidPendingTransfer(VoidPendingTransferRequest
                        .newBuilder().setTransferId("g-none").setIdempotencyKey(key()).build()), Status.Code.NOT_FOUND,
                        "transfer_not_found"),
                new Call("freeze: another tenant's account", () -> t.ledger().freezeAccount(FreezeAccountRequest
                        .newBuilder().setAccountId("vault").build()), Status.Code.NOT_FOUND, "account_not_found"),
                new Call("freeze: reason too long", () -> t.ledger().freezeAccount(FreezeAccountRequest.newBuilder()
                        .setAccountId("wallet").setReason("r".repeat(513)).build()), Status.Code.INVALID_ARGUMENT,
                        "validation_failed"),
                new Call("read: another tenant's account", () -> t.ledger().getAccount(GetAccountRequest.newBuilder()
                        .setAccountId("vault").build()), Status.Code.NOT_FOUND, "account_not_found"),
                new Call("read: bad asOf", () -> t.ledger().getAccount(GetAccountRequest.newBuilder()
                        .setAccountId("wallet").setAsOf("yesterday").build()), Status.Code.INVALID_ARGUMENT,
                        "validation_failed"),
                new Call("statement: limit too big", () -> t.ledger().getStatement(GetStatementRequest.newBuilder()
                        .setAccountId("wallet").setLimit(1_000_000).build()), Status.Code.INVALID_ARGUMENT,
                        "validation_failed"),
                new Call("no API key", () -> stub(null).getAccount(GetAccountRequest.newBuilder()
                        .setAccountId("wallet").build()), Status.Code.UNAUTHENTICATED, "unauthorized"),
                new Call("wrong API key", () -> stub("wrong-key-0123456789").getAccount(GetAccountRequest.newBuilder()
                        .setAccountId("wallet").build()), Status.Code.UNAUTHENTICATED, "unauthorized"),
                new Call("a batch over the limit", () -> {
                    SubmitTransfersRequest.Builder big = SubmitTransfersRequest.newBuilder();
                    NewTransfer one = transfer("g-big", "wallet", "shop", "0.01", "EUR").build();
                    for (int i = 0; i < 8_191; i++) {
                        big.addTransfers(one);
                    }
                    t.ledger().submitTransfers(big.build());
                }, Status.Code.INVALID_ARGUMENT, "validation_failed"));
        for (Call call : calls) {
            try {
                call.call().run();
                wrong.add(call.name() + ": answered OK");
            } catch (StatusRuntimeException e) {
                ErrorInfo info = errorInfo(e);
                if (e.getStatus().getCode() != call.status() || info == null
                        || (call.reason() != null && !call.reason().equals(info.getReason()))) {
                    wrong.add(call.name() + ": " + e.getStatus() + " " + info);
                }
            }
        }
        assertThat(wrong).as("%d hostile calls", calls.size()).isEmpty();

        assertThat(account(t, "wallet")).as("nothing changed").isEqualTo(walletBefore);
        assertThat(account(t, "shop")).isEqualTo(shopBefore);
        assertThat(statement(victim, "vault")).isEmpty();
    }
}
