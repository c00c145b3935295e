package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import ledger.api.FxRatesFile;
import ledger.api.LedgerClient.Response;
import ledger.grpc.v1.CreateSettlementRequest;
import ledger.grpc.v1.GetSettlementRequest;
import ledger.grpc.v1.Settlement;
import ledger.grpc.v1.SettlementStep;
import org.junit.jupiter.api.Test;

/** CreateSettlement and GetSettlement over a real gRPC port (docs/settlement.md, "API"). */
class GrpcSettlementIT extends GrpcSupport {
    static {
        FxRatesFile.write();
    }

    private Tenant book() {
        Tenant t = tenant("gfx");
        openBook(t, "USD", "alice");
        openBook(t, "JPY", "bob");
        fund(t, "alice", "1000.00", "USD");
        return t;
    }

    private static Settlement awaitFinished(Tenant t, String id) {
        return await("settlement " + id, () -> t.ledger().getSettlement(GetSettlementRequest.newBuilder()
                .setSettlementId(id).build()), s -> !"PENDING".equals(s.getStatus()));
    }

    @Test
    void settlesUsdToJpyAndSharesItsKeyWithRest() {
        Tenant t = book();
        String key = key();
        CreateSettlementRequest request = CreateSettlementRequest.newBuilder().setId("g-1").setSourceAccount("alice")
                .setDestinationAccount("bob").setSourceAmount("100.00").setIdempotencyKey(key).build();
        Settlement accepted = t.ledger().createSettlement(request);
        assertThat(accepted.getStatus()).isEqualTo("PENDING");
        assertThat(accepted.getDestinationAmount()).isEqualTo("15410");
        assertThat(accepted.getQuote().getRate()).isEqualTo("154.10");

        // one read that waits in the service until the settlement has ended
        Settlement done = t.ledger().getSettlement(GetSettlementRequest.newBuilder().setSettlementId("g-1")
                .setWaitSeconds(30).build());
        assertThat(done.getStatus()).isEqualTo("COMPLETED");
        assertThat(done.getStepsList().stream().map(SettlementStep::getStep).toList()).isEqualTo(List.of(
                "ACCEPTED", "RESERVED", "DESTINATION_POSTED", "RESERVATION_POSTED", "COMPLETED"));
        assertThat(account(t, "alice").getBalance()).isEqualTo("900.00");
        assertThat(account(t, "bob").getBalance()).isEqualTo("15410");
        assertThat(account(t, "fx.revenue.JPY").getBalance()).isEqualTo("10");

        // the same key and request on REST replays the gRPC answer
        Response replayed = t.rest().post("/v1/settlements", key, "{\"id\":\"g-1\",\"sourceAccount\":\"alice\","
                + "\"destinationAccount\":\"bob\",\"sourceAmount\":\"100.00\"}");
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.json().get("quote").get("id").asText()).isEqualTo(accepted.getQuote().getId());
    }

    @Test
    void refusesWithTheRestCodes() {
        Tenant t = book();
        assertRefused(() -> t.ledger().createSettlement(CreateSettlementRequest.newBuilder().setId("g-2")
                        .setSourceAccount("alice").setDestinationAccount("bob").setSourceAmount("1.00")
                        .setQuoteId("nope").setIdempotencyKey(key()).build()),
                Status.Code.NOT_FOUND, "quote_not_found");
        assertRefused(() -> t.ledger().createSettlement(CreateSettlementRequest.newBuilder().setId("g-3")
                        .setSourceAccount("alice").setDestinationAccount("bob").setSourceAmount("1.00").build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().getSettlement(GetSettlementRequest.newBuilder().setSettlementId("none")
                .build()), Status.Code.NOT_FOUND, "settlement_not_found");
        assertRefused(() -> t.ledger().getSettlement(GetSettlementRequest.newBuilder().setSettlementId("none")
                .setWaitSeconds(31).build()), Status.Code.INVALID_ARGUMENT, "validation_failed");
        String auditor = issueKey(t, "auditor");
        assertRefused(() -> stub(auditor).createSettlement(CreateSettlementRequest.newBuilder().setId("g-4")
                        .setSourceAccount("alice").setDestinationAccount("bob").setSourceAmount("1.00")
                        .setIdempotencyKey(key()).build()),
                Status.Code.PERMISSION_DENIED, "forbidden");
    }
}
