package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicReference;
import ledger.grpc.v1.GetTransferRequest;
import ledger.grpc.v1.ReverseTransferRequest;
import ledger.grpc.v1.Reversal;
import ledger.grpc.v1.Transfer;
import org.junit.jupiter.api.Test;

/** ReverseTransfer over a real gRPC port (docs/reversals.md): the same rules and links as REST. */
class GrpcReversalsIT extends GrpcSupport {

    private static ReverseTransferRequest.Builder reverse(String id) {
        return ReverseTransferRequest.newBuilder().setTransferId(id).setIdempotencyKey(key());
    }

    @Test
    void aReversalIsLinkedOnBothTransfersAndReplaysUnderItsKey() {
        Tenant t = tenant("rev");
        openBook(t, "EUR", "wallet");
        assertOk(submit(t, transfer("t-1", "cash-EUR", "wallet", "10.00", "EUR")).getResults(0));

        ReverseTransferRequest request = reverse("t-1").setAmount("2.50").build();
        AtomicReference<Metadata> headers = new AtomicReference<>();
        Transfer reversal = t.capturing(headers).reverseTransfer(request);
        assertThat(reversal.getId()).isEqualTo("t-1.r1");
        assertThat(reversal.getKind()).isEqualTo("reversal");
        assertThat(reversal.getReversalOf()).isEqualTo("t-1");
        assertThat(reversal.getLegs(0).getAccount()).isEqualTo("wallet");
        assertThat(reversal.getLegs(0).getSide()).isEqualTo("debit");
        assertThat(reversal.getLegs(0).getAmount()).isEqualTo("2.50");
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isNull();

        Transfer again = t.capturing(headers).reverseTransfer(request);
        assertThat(again).isEqualTo(reversal);
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isEqualTo("true");

        Transfer original = t.ledger().getTransfer(GetTransferRequest.newBuilder().setTransferId("t-1").build());
        assertThat(original.getReversedAmount()).isEqualTo("2.50");
        assertThat(original.getReversalsList()).containsExactly(
                Reversal.newBuilder().setId("t-1.r1").setAmount("2.50").build());
        assertThat(account(t, "wallet").getBalance()).isEqualTo("7.50");

        Transfer named = t.ledger().reverseTransfer(reverse("t-1").setId("refund-1").build());
        assertThat(named.getId()).isEqualTo("refund-1");
        assertThat(named.getLegs(0).getAmount()).isEqualTo("7.50");
        assertThat(account(t, "wallet").getBalance()).isEqualTo("0.00");
    }

    @Test
    void refusalsCarryTheirCodes() {
        Tenant t = tenant("rev-refused");
        openBook(t, "EUR", "wallet", "shop");
        fund(t, "wallet", "5.00", "EUR");
        assertOk(submit(t, transfer("hold", "wallet", "shop", "1.00", "EUR").setPending(true)).getResults(0));

        assertRefused(() -> t.ledger().reverseTransfer(reverse("hold").build()), Status.Code.FAILED_PRECONDITION,
                "transfer_not_reversible");
        assertRefused(() -> t.ledger().reverseTransfer(reverse("nothing").build()), Status.Code.NOT_FOUND,
                "transfer_not_found");
        assertRefused(() -> t.ledger().reverseTransfer(ReverseTransferRequest.newBuilder().setTransferId("hold")
                .build()), Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().reverseTransfer(reverse("hold").setAmount("1.001").build()),
                Status.Code.FAILED_PRECONDITION, "transfer_not_reversible");
        assertThat(account(t, "wallet").getAvailable()).isEqualTo("4.00");
    }
}
