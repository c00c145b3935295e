package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ledger.grpc.v1.GetAccountRequest;
import ledger.grpc.v1.GetTransferRequest;
import ledger.grpc.v1.LedgerGrpc;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.SubmitTransfersResponse;
import ledger.grpc.v1.TransferResult;
import org.junit.jupiter.api.Test;

/** The server itself: authentication and roles, message size, deadlines, health and reflection. */
class GrpcServerIT extends GrpcSupport {

    @Test
    void aCallNeedsAValidKeyWithARoleForIt() {
        Tenant t = tenant("auth");
        openBook(t, "EUR", "wallet");
        awaitAccount(t, "wallet", a -> true);
        GetAccountRequest read = GetAccountRequest.newBuilder().setAccountId("wallet").build();
        SubmitTransfersRequest move = SubmitTransfersRequest.newBuilder()
                .addTransfers(transfer("t-1", "cash-EUR", "wallet", "1.00", "EUR")).build();

        assertRefused(() -> stub(null).getAccount(read), Status.Code.UNAUTHENTICATED, "unauthorized");
        assertRefused(() -> stub("not-a-key").getAccount(read), Status.Code.UNAUTHENTICATED, "unauthorized");
        assertRefused(() -> stub(null).submitTransfers(move), Status.Code.UNAUTHENTICATED, "unauthorized");
        Metadata basic = new Metadata();
        basic.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Basic " + t.apiKey());
        assertRefused(() -> LedgerGrpc.newBlockingStub(channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(basic)).getAccount(read),
                Status.Code.UNAUTHENTICATED, "unauthorized");

        // roles as on REST: auditors and finance read, payments move money
        String auditor = issueKey(t, "auditor");
        String finance = issueKey(t, "finance");
        String payments = issueKey(t, "payments");
        assertThat(stub(auditor).getAccount(read).getAccount().getId()).isEqualTo("wallet");
        assertThat(stub(finance).getAccount(read).getAccount().getId()).isEqualTo("wallet");
        assertThat(assertRefused(() -> stub(auditor).submitTransfers(move), Status.Code.PERMISSION_DENIED,
                "forbidden").getStatus().getDescription()).contains("payments");
        assertRefused(() -> stub(finance).openAccount(ledger.grpc.v1.OpenAccountRequest.newBuilder().setId("x")
                .setCurrency("EUR").setKind("ASSET").build()), Status.Code.PERMISSION_DENIED, "forbidden");
        TransferResult moved = stub(payments).submitTransfers(move).getResults(0);
        assertOk(moved);
        awaitTransfer(t, "t-1", x -> true);
        assertThat(stub(payments).getTransfer(GetTransferRequest.newBuilder().setTransferId("t-1").build())
                .getId()).isEqualTo("t-1");

        // a key sees its own tenant only
        Tenant other = tenant("auth-other");
        assertRefused(() -> other.ledger().getAccount(read), Status.Code.NOT_FOUND, "account_not_found");
    }

    @Test
    void aMessageLargerThanTheLimitIsRefusedWithResourceExhausted() throws Exception {
        Tenant t = tenant("size");
        String padding = "x".repeat(17 * 1024 * 1024);
        SubmitTransfersRequest huge = SubmitTransfersRequest.newBuilder()
                .addTransfers(transfer("t-1", "cash-EUR", "wallet", "1.00", "EUR").putMetadata("pad", padding))
                .build();
        // a channel of its own: the refused stream stays half-sent until the client lets the connection go
        ManagedChannel own = NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.port()).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + t.apiKey());
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    LedgerGrpc.newBlockingStub(own).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                            .submitTransfers(huge));
            assertThat(e).isNotNull();
            assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        } finally {
            own.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        // the server is fine afterwards
        assertThat(t.ledger().submitTransfers(SubmitTransfersRequest.getDefaultInstance()).getResultsCount()).isZero();
    }

    @Test
    void aBatchCutShortByItsDeadlineIsFinishedExactlyOnceByARetryWithTheSameKeys() {
        Tenant t = tenant("deadline");
        int accounts = 20;
        int transfers = 1500;
        String[] ids = new String[accounts];
        for (int i = 0; i < accounts; i++) {
            ids[i] = "w-" + i;
        }
        openBook(t, "EUR", ids);
        SubmitTransfersRequest.Builder batch = SubmitTransfersRequest.newBuilder();
        for (int i = 0; i < transfers; i++) {
            batch.addTransfers(transfer("t-" + i, "cash-EUR", ids[i % accounts], "1.00", "EUR"));
        }
        SubmitTransfersRequest request = batch.build();

        // a deadline too short for the batch: the call fails; what was sent before it is finished and stored
        StatusRuntimeException cut = catchThrowableOfType(StatusRuntimeException.class, () ->
                t.ledger().withDeadlineAfter(300, TimeUnit.MILLISECONDS).submitTransfers(request));
        if (cut != null) {
            assertThat(cut.getStatus().getCode()).as(cut.toString()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        }

        // the retry (while the first call's transfers may still be running) answers every transfer:
        // the ones done before replayed, the others done now
        SubmitTransfersResponse retry = t.ledger().withDeadlineAfter(120, TimeUnit.SECONDS).submitTransfers(request);
        retry.getResultsList().forEach(r -> assertThat(r.getOk()).as(r.toString()).isTrue());
        long replayed = retry.getResultsList().stream().filter(TransferResult::getReplayed).count();
        System.out.printf("deadline test: first call %s; %d of %d transfers were done by it%n",
                cut == null ? "answered in time" : cut.getStatus().getCode(), replayed, transfers);

        // every transfer posted exactly once
        for (int i = 0; i < accounts; i++) {
            int expected = transfers / accounts + (i < transfers % accounts ? 1 : 0);
            String balance = expected + ".00";
            awaitAccount(t, ids[i], a -> a.getBalance().equals(balance));
        }
        awaitAccount(t, "cash-EUR", a -> a.getBalance().equals(transfers + ".00"));
        assertThat(t.ledger().submitTransfers(request).getResultsList()).allMatch(TransferResult::getReplayed);
    }

    @Test
    void healthSaysServingAndReflectionListsTheService() throws Exception {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel());
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("ledger.v1.Ledger").build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);

        CompletableFuture<List<ServerReflectionResponse>> answers = new CompletableFuture<>();
        List<ServerReflectionResponse> received = new ArrayList<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answers.complete(received);
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol("ledger.v1.Ledger").build());
        requests.onCompleted();
        List<ServerReflectionResponse> responses = answers.get(30, TimeUnit.SECONDS);

        Set<String> services = new HashSet<>();
        for (ServiceResponse service : responses.get(0).getListServicesResponse().getServiceList()) {
            services.add(service.getName());
        }
        assertThat(services).contains("ledger.v1.Ledger", "grpc.health.v1.Health");
        assertThat(responses.get(1).getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
    }

}
