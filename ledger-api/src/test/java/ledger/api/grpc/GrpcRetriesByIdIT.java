package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import ledger.grpc.v1.EntryLeg;
import ledger.grpc.v1.SubmitEntryRequest;
import ledger.grpc.v1.Transfer;
import ledger.grpc.v1.TransferResult;
import org.junit.jupiter.api.Test;

/**
 * Retries by id over gRPC (docs/retries.md): the same id and content under a new idempotency key is
 * the existing transfer (TransferResult.existed, or the transfer-existed response header), other
 * content is ALREADY_EXISTS transfer_id_conflict naming the differing fields in the ErrorInfo.
 */
class GrpcRetriesByIdIT extends GrpcSupport {

    @Test
    void aBatchRecognisesTheSameTransferAndNamesTheFieldsThatDiffer() {
        Tenant t = tenant("retry");
        openBook(t, "EUR", "wallet", "shop");
        TransferResult first = submit(t, transfer("t-1", "cash-EUR", "wallet", "3.00", "EUR")
                .putMetadata("order", "o-1")).getResults(0);
        assertOk(first);
        assertThat(first.getExisted()).isFalse();

        List<TransferResult> results = submit(t,
                transfer("t-1", "cash-EUR", "wallet", "3.00", "EUR").putMetadata("order", "o-1"),
                transfer("t-1", "cash-EUR", "shop", "3.00", "EUR").putMetadata("order", "o-2"),
                transfer("t-1", "cash-EUR", "wallet", "3.00", "EUR").putMetadata("order", "o-1").setPending(true)
                        .setTimeoutSeconds(30)).getResultsList();

        assertOk(results.get(0));
        assertThat(results.get(0).getExisted()).isTrue();
        assertThat(results.get(0).getReplayed()).isFalse();
        assertThat(results.get(0).getTransfer()).isEqualTo(first.getTransfer());
        assertResult(results.get(1), "transfer_id_conflict");
        assertThat(results.get(1).getFieldsList()).containsExactly("credit_account", "metadata");
        assertResult(results.get(2), "transfer_id_conflict");
        assertThat(results.get(2).getFieldsList()).containsExactly("pending", "timeout_seconds");

        assertThat(account(t, "wallet").getBalance()).isEqualTo("3.00");
        assertThat(account(t, "shop").getBalance()).isEqualTo("0.00");
    }

    @Test
    void submitEntrySaysTheEntryExistedInAHeaderAndRefusesOtherLegsWithTheirFieldInErrorInfo() {
        Tenant t = tenant("retry-entry");
        openBook(t, "EUR", "wallet");
        AtomicReference<Metadata> headers = new AtomicReference<>();
        Transfer created = t.capturing(headers).submitEntry(entry("e-1", "2.00"));
        assertThat(headers.get().get(GrpcAuth.EXISTED_HEADER)).isNull();

        Transfer again = t.capturing(headers).submitEntry(entry("e-1", "2.00"));
        assertThat(again).isEqualTo(created);
        assertThat(headers.get().get(GrpcAuth.EXISTED_HEADER)).isEqualTo("true");
        assertThat(headers.get().get(GrpcAuth.REPLAYED)).isNull();

        StatusRuntimeException e = assertRefused(() -> t.ledger().submitEntry(entry("e-1", "2.01")),
                Status.Code.ALREADY_EXISTS, "transfer_id_conflict");
        ErrorInfo info = errorInfo(e);
        assertThat(info.getMetadataMap()).containsEntry("fields", "legs");
        assertThat(account(t, "wallet").getBalance()).isEqualTo("2.00");
    }

    private static SubmitEntryRequest entry(String id, String amount) {
        return SubmitEntryRequest.newBuilder().setId(id)
                .addLegs(EntryLeg.newBuilder().setAccount("cash-EUR").setDebit(amount))
                .addLegs(EntryLeg.newBuilder().setAccount("wallet").setCredit(amount))
                .setIdempotencyKey(key()).build();
    }
}
