package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import ledger.domain.model.RejectionCode;
import ledger.grpc.v1.CloseAccountRequest;
import ledger.grpc.v1.EntryLeg;
import ledger.grpc.v1.FreezeAccountRequest;
import ledger.grpc.v1.GetAccountRequest;
import ledger.grpc.v1.GetStatementRequest;
import ledger.grpc.v1.GetTransferRequest;
import ledger.grpc.v1.OpenAccountRequest;
import ledger.grpc.v1.PostPendingTransferRequest;
import ledger.grpc.v1.SubmitEntryRequest;
import ledger.grpc.v1.TransferResult;
import ledger.grpc.v1.UnfreezeAccountRequest;
import ledger.grpc.v1.VoidPendingTransferRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every REST refusal code arrives over gRPC as the ErrorInfo reason of the call's google.rpc.Status
 * (with the documented gRPC code), or as the code of a transfer's result in a batch.
 */
class GrpcRejectionCodesIT extends GrpcSupport {
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @AfterAll
    static void everyRejectionCodeWasSeen() {
        assertThat(SEEN).containsAll(Arrays.stream(RejectionCode.values()).map(RejectionCode::code)
                .collect(Collectors.toSet()));
    }

    @Test
    void accountRefusals() {
        Tenant t = tenant("rej-acct");
        openBook(t, "EUR", "wallet", "old");
        fund(t, "wallet", "10.00", "EUR");

        refused(() -> open(t, "wallet", "EUR", "LIABILITY", null), Status.Code.ALREADY_EXISTS, "duplicate_id");
        refused(() -> open(t, "gold", "XAU", "ASSET", null), Status.Code.INVALID_ARGUMENT, "unknown_currency");
        refused(() -> open(t, "od", "EUR", "ASSET", "1.001"), Status.Code.INVALID_ARGUMENT, "amount_invalid");
        refused(() -> open(t, "bad/id", "EUR", "ASSET", null), Status.Code.INVALID_ARGUMENT, "validation_failed");
        refused(() -> open(t, "kind", "EUR", "BOGUS", null), Status.Code.INVALID_ARGUMENT, "validation_failed");
        refused(() -> t.ledger().openAccount(OpenAccountRequest.newBuilder().setId("x").setCurrency("EUR")
                .setKind("ASSET").setIdempotencyKey("has space").build()), Status.Code.INVALID_ARGUMENT,
                "validation_failed");
        refused(() -> t.ledger().getAccount(GetAccountRequest.newBuilder().setAccountId("nobody").build()),
                Status.Code.NOT_FOUND, "account_not_found");
        refused(() -> t.ledger().getStatement(GetStatementRequest.newBuilder().setAccountId("nobody").build()),
                Status.Code.NOT_FOUND, "account_not_found");
        refused(() -> t.ledger().freezeAccount(FreezeAccountRequest.newBuilder().setAccountId("nobody").build()),
                Status.Code.NOT_FOUND, "account_not_found");
        refused(() -> t.ledger().closeAccount(CloseAccountRequest.newBuilder().setAccountId("wallet").build()),
                Status.Code.FAILED_PRECONDITION, "account_not_empty");

        assertThat(t.ledger().closeAccount(CloseAccountRequest.newBuilder().setAccountId("old").build())
                .getStatus()).isEqualTo("CLOSED");
        refused(() -> t.ledger().closeAccount(CloseAccountRequest.newBuilder().setAccountId("old").build()),
                Status.Code.FAILED_PRECONDITION, "account_closed");
        refused(() -> t.ledger().freezeAccount(FreezeAccountRequest.newBuilder().setAccountId("old").build()),
                Status.Code.FAILED_PRECONDITION, "account_closed");
        refused(() -> t.ledger().unfreezeAccount(UnfreezeAccountRequest.newBuilder().setAccountId("old").build()),
                Status.Code.FAILED_PRECONDITION, "account_closed");

        assertThat(t.ledger().freezeAccount(FreezeAccountRequest.newBuilder().setAccountId("wallet")
                .setReason("review").build()).getStatus()).isEqualTo("FROZEN");
        refused(() -> t.ledger().submitEntry(entry("e-1", "cash-EUR", "1.00", "wallet")),
                Status.Code.FAILED_PRECONDITION, "account_frozen");
        List<TransferResult> batch = submit(t,
                transfer("t-in", "cash-EUR", "wallet", "1.00", "EUR"),
                transfer("t-out", "wallet", "sink-EUR", "1.00", "EUR"),
                transfer("t-closed", "cash-EUR", "old", "1.00", "EUR")).getResultsList();
        result(batch.get(0), "account_frozen");
        result(batch.get(1), "account_frozen");
        result(batch.get(2), "account_closed");
        assertThat(t.ledger().unfreezeAccount(UnfreezeAccountRequest.newBuilder().setAccountId("wallet").build())
                .getStatus()).isEqualTo("OPEN");

        assertNoTransfers(t, "EUR", "0.01", List.of("e-1", "t-in", "t-out", "t-closed"));
        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).hasSize(1);
    }

    @Test
    void transferRefusals() {
        Tenant t = tenant("rej-xfer");
        openBook(t, "EUR", "wallet", "shop");
        open(t, "usd", "USD", "LIABILITY", null);
        fund(t, "wallet", "10.00", "EUR");

        refused(() -> t.ledger().submitEntry(entry("e-1", "wallet", "10.01", "shop")),
                Status.Code.FAILED_PRECONDITION, "insufficient_funds");
        refused(() -> t.ledger().submitEntry(SubmitEntryRequest.newBuilder().setId("e-2")
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit("5.00"))
                .addLegs(EntryLeg.newBuilder().setAccount("wallet").setCredit("4.00"))
                .setIdempotencyKey(key()).build()), Status.Code.FAILED_PRECONDITION, "unbalanced_entry");
        refused(() -> t.ledger().submitEntry(entry("e-3", "cash-EUR", "0.001", "wallet")),
                Status.Code.INVALID_ARGUMENT, "amount_invalid");
        refused(() -> t.ledger().submitEntry(entry("e-4", "cash-EUR", "1.00", "nobody")),
                Status.Code.NOT_FOUND, "account_not_found");
        assertThat(t.ledger().submitEntry(entry("e-5", "cash-EUR", "1.00", "shop")).getStatus()).isEqualTo("POSTED");
        // the same entry again is the same entry (GrpcRetriesByIdIT); other content under its id is refused
        assertThat(t.ledger().submitEntry(entry("e-5", "cash-EUR", "1.00", "shop")).getStatus()).isEqualTo("POSTED");
        refused(() -> t.ledger().submitEntry(entry("e-5", "cash-EUR", "2.00", "shop")),
                Status.Code.ALREADY_EXISTS, "transfer_id_conflict");
        refused(() -> t.ledger().getTransfer(GetTransferRequest.newBuilder().setTransferId("nothing").build()),
                Status.Code.NOT_FOUND, "transfer_not_found");
        refused(() -> t.ledger().voidPendingTransfer(VoidPendingTransferRequest.newBuilder()
                .setTransferId("nothing").setIdempotencyKey(key()).build()), Status.Code.NOT_FOUND,
                "transfer_not_found");
        refused(() -> t.ledger().voidPendingTransfer(VoidPendingTransferRequest.newBuilder()
                .setTransferId("e-5").setIdempotencyKey(key()).build()), Status.Code.FAILED_PRECONDITION,
                "transfer_not_pending");

        List<TransferResult> batch = submit(t,
                transfer("t-1", "wallet", "shop", "10.01", "EUR"),
                transfer("t-2", "cash-EUR", "usd", "1.00", "EUR"),
                transfer("t-3", "wallet", "usd", "1.00", "USD"),
                transfer("t-4", "cash-EUR", "shop", "1.00", "ABC"),
                transfer("t-5", "cash-EUR", "shop", "-1.00", "EUR"),
                transfer("e-5", "cash-EUR", "shop", "1.00", "EUR"),
                transfer("t-7", "cash-EUR", "ghost", "1.00", "EUR"),
                transfer("", "cash-EUR", "shop", "1.00", "EUR")).getResultsList();
        result(batch.get(0), "insufficient_funds");
        result(batch.get(1), "currency_mismatch");
        result(batch.get(2), "currency_mismatch");
        result(batch.get(3), "unknown_currency");
        result(batch.get(4), "amount_invalid");
        result(batch.get(5), "transfer_id_conflict");
        result(batch.get(6), "account_not_found");
        result(batch.get(7), "validation_failed");

        assertNoTransfers(t, "EUR", "0.01", List.of("e-1", "e-2", "e-3", "e-4", "t-1", "t-2", "t-3", "t-4", "t-5",
                "t-7"));
        assertThat(settledTransferIds(t, "wallet", "EUR", "0.01")).hasSize(1);
        assertThat(settledTransferIds(t, "shop", "EUR", "0.01")).containsExactly("e-5");
    }

    @Test
    void aPendingTransferPastItsTimeoutCannotBePosted() {
        Tenant t = tenant("rej-expired");
        openBook(t, "EUR", "wallet", "shop");
        fund(t, "wallet", "10.00", "EUR");
        // three holds expiring 350 ms apart: the expiry job polls once a second, so it can run between
        // an expiry instant and the post right after it for one of them at most
        List<Instant> expiries = new ArrayList<>();
        for (String id : List.of("h-1", "h-2", "h-3")) {
            TransferResult hold = submit(t, transfer(id, "wallet", "shop", "1.00", "EUR").setPending(true)
                    .setTimeoutSeconds(1)).getResults(0);
            assertOk(hold);
            expiries.add(Instant.parse(hold.getTransfer().getExpiresAt()));
            if (expiries.size() < 3) {
                pause(350);
            }
        }

        // past its expiry a hold is transfer_expired until the expiry has run, then transfer_not_pending
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pause(Math.max(0, Duration.between(Instant.now(), expiries.get(i)).toMillis()) + 20);
            String id = "h-" + (i + 1);
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    t.ledger().postPendingTransfer(PostPendingTransferRequest.newBuilder().setTransferId(id)
                            .setIdempotencyKey(key()).build()));
            assertThat(e).isNotNull();
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            codes.add(errorInfo(e).getReason());
        }
        assertThat(codes).allMatch(c -> c.equals("transfer_expired") || c.equals("transfer_not_pending"));
        assertThat(codes).as("the first post right after the expiry instant").contains("transfer_expired");
        SEEN.addAll(codes);

        awaitAccount(t, "wallet", a -> a.getAvailable().equals("10.00") && a.getDebitsPending().equals("0.00"));
        awaitTransfer(t, "h-3", x -> x.getStatus().equals("EXPIRED"));
        // a limit below the overdraft in use is refused: wallet (10.00) may go 5.00 over, pays 12.00, is 2.00 over
        t.ledger().updateAccount(ledger.grpc.v1.UpdateAccountRequest.newBuilder().setAccountId("wallet")
                .setOverdraftLimit("5.00").build());
        assertOk(submit(t, transfer("over", "wallet", "shop", "12.00", "EUR")).getResults(0));
        refused(() -> t.ledger().updateAccount(ledger.grpc.v1.UpdateAccountRequest.newBuilder()
                .setAccountId("wallet").setOverdraftLimit("1.99").build()), Status.Code.FAILED_PRECONDITION,
                "limit_below_balance");
        // an expired hold moved nothing: there is nothing to reverse (docs/reversals.md)
        refused(() -> t.ledger().reverseTransfer(ledger.grpc.v1.ReverseTransferRequest.newBuilder()
                .setTransferId("h-3").setIdempotencyKey(key()).build()), Status.Code.FAILED_PRECONDITION,
                "transfer_not_reversible");
    }

    private static SubmitEntryRequest entry(String id, String debit, String amount, String credit) {
        return SubmitEntryRequest.newBuilder().setId(id)
                .addLegs(EntryLeg.newBuilder().setAccount(debit).setDebit(amount))
                .addLegs(EntryLeg.newBuilder().setAccount(credit).setCredit(amount))
                .setIdempotencyKey(key()).build();
    }

    private static void refused(Runnable call, Status.Code code, String reason) {
        assertRefused(call, code, reason);
        SEEN.add(reason);
    }

    private static void result(TransferResult result, String code) {
        assertResult(result, code);
        SEEN.add(code);
    }
}
