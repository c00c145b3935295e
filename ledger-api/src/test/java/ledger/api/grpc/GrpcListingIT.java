package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.AccountPage;
import ledger.grpc.v1.ListAccountsRequest;
import ledger.grpc.v1.ListTransfersRequest;
import ledger.grpc.v1.Transfer;
import ledger.grpc.v1.TransferPage;
import org.junit.jupiter.api.Test;

/** ListAccounts and ListTransfers over a real gRPC port (docs/listing.md): the same lists as REST. */
class GrpcListingIT extends GrpcSupport {

    @Test
    void listsPageThroughAccountsAndTransfersWithTheirFilters() {
        Tenant t = tenant("list");
        openBook(t, "EUR", "alice", "bob");
        assertOk(submit(t, transfer("t-1", "cash-EUR", "alice", "5.00", "EUR").putMetadata("order", "o-1"))
                .getResults(0));
        assertOk(submit(t, transfer("t-2", "cash-EUR", "bob", "6.00", "EUR").putMetadata("order", "o-2"))
                .getResults(0));
        assertOk(submit(t, transfer("h-1", "alice", "bob", "1.00", "EUR").setPending(true)).getResults(0));

        AccountPage first = t.ledger().listAccounts(ListAccountsRequest.newBuilder().setLimit(2).build());
        assertThat(first.getAccountsList()).extracting(Account::getId).containsExactly("alice", "bob");
        AccountPage second = t.ledger().listAccounts(ListAccountsRequest.newBuilder().setLimit(2)
                .setCursor(first.getNextCursor()).build());
        assertThat(second.getAccountsList()).extracting(Account::getId).containsExactly("cash-EUR", "sink-EUR");
        assertThat(second.getNextCursor()).isEmpty();
        assertThat(t.ledger().listAccounts(ListAccountsRequest.newBuilder().setKind("ASSET").build())
                .getAccountsList()).extracting(Account::getId).containsExactly("cash-EUR");

        TransferPage byAccount = t.ledger().listTransfers(ListTransfersRequest.newBuilder().setAccount("bob").build());
        assertThat(byAccount.getTransfersList()).extracting(Transfer::getId).containsExactly("t-2", "h-1");
        assertThat(t.ledger().listTransfers(ListTransfersRequest.newBuilder().putMetadata("order", "o-1").build())
                .getTransfersList()).extracting(Transfer::getId).containsExactly("t-1");
        assertThat(t.ledger().listTransfers(ListTransfersRequest.newBuilder().setStatus("PENDING").build())
                .getTransfersList()).extracting(Transfer::getId).containsExactly("h-1");
        List<Transfer> paged = new java.util.ArrayList<>();
        String cursor = "";
        do {
            TransferPage page = t.ledger().listTransfers(ListTransfersRequest.newBuilder().setLimit(1)
                    .setCursor(cursor).build());
            paged.addAll(page.getTransfersList());
            cursor = page.getNextCursor();
        } while (!cursor.isEmpty());
        assertThat(paged).extracting(Transfer::getId).containsExactly("t-1", "t-2", "h-1");
    }

    @Test
    void updateAccountReplacesMetadataAndTheLimitAndListAccountsFindsItByMetadata() {
        Tenant t = tenant("list-update");
        openBook(t, "EUR", "alice", "bob");
        ledger.grpc.v1.AccountUpdate changed = t.ledger().updateAccount(ledger.grpc.v1.UpdateAccountRequest.newBuilder()
                .setAccountId("alice").setOverdraftLimit("25.00")
                .setMetadata(ledger.grpc.v1.AccountMetadata.newBuilder().putEntries("segment", "vip")).build());
        assertThat(changed.getOverdraftLimit()).isEqualTo("25.00");
        assertThat(changed.getMetadataSet()).isTrue();
        assertThat(changed.getMetadataMap()).containsEntry("segment", "vip");
        Account alice = account(t, "alice");
        assertThat(alice.getOverdraftLimit()).isEqualTo("25.00");
        assertThat(alice.getMetadataMap()).containsExactly(java.util.Map.entry("segment", "vip"));
        assertThat(t.ledger().listAccounts(ListAccountsRequest.newBuilder().putMetadata("segment", "vip").build())
                .getAccountsList()).extracting(Account::getId).containsExactly("alice");
        // the new limit holds at once: alice may now pay 25.00 she does not have
        assertOk(submit(t, transfer("spend", "alice", "bob", "25.00", "EUR")).getResults(0));
        assertResult(submit(t, transfer("more", "alice", "bob", "0.01", "EUR")).getResults(0), "insufficient_funds");
        // only the limit: metadata stays
        ledger.grpc.v1.AccountUpdate limitOnly = t.ledger().updateAccount(ledger.grpc.v1.UpdateAccountRequest
                .newBuilder().setAccountId("alice").setOverdraftLimit("unlimited").build());
        assertThat(limitOnly.getMetadataSet()).isFalse();
        assertThat(account(t, "alice").getMetadataMap()).containsEntry("segment", "vip");
    }

    @Test
    void badListRequestsAreInvalidArguments() {
        Tenant t = tenant("list-bad");
        assertRefused(() -> t.ledger().listAccounts(ListAccountsRequest.newBuilder().setLimit(0).build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().listAccounts(ListAccountsRequest.newBuilder().setStatus("GONE").build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().listTransfers(ListTransfersRequest.newBuilder().setFrom("soon").build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().listTransfers(ListTransfersRequest.newBuilder().setCursor("?!").build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().listTransfers(ListTransfersRequest.newBuilder().putMetadata("", "v").build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
    }
}
