package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import ledger.api.LedgerClient;
import ledger.api.LedgerServiceIT;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.GetAccountRequest;
import ledger.grpc.v1.GetStatementRequest;
import ledger.grpc.v1.GetTransferRequest;
import ledger.grpc.v1.LedgerGrpc;
import ledger.grpc.v1.LedgerGrpc.LedgerBlockingStub;
import ledger.grpc.v1.NewTransfer;
import ledger.grpc.v1.OpenAccountRequest;
import ledger.grpc.v1.StatementLine;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.SubmitTransfersResponse;
import ledger.grpc.v1.Transfer;
import ledger.grpc.v1.TransferResult;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Shared helpers of the gRPC integration tests: a real client channel (plaintext, 127.0.0.1) to the
 * service's real gRPC port, tenants with their own keys, request builders, error checks and the
 * "nothing else happened" proof.
 *
 * <p>The proof never relies on timing: it posts a marker transfer on an account and waits until the
 * account's statement shows it; lines are projected per account in order, so once the marker is
 * there, anything a refused or rolled-back transfer had posted would be there too.
 */
abstract class GrpcSupport extends LedgerServiceIT {
    private static final Map<Integer, ManagedChannel> CHANNELS = new ConcurrentHashMap<>();
    private static final AtomicLong MARKERS = new AtomicLong();
    private static final Duration AWAIT = Duration.ofSeconds(30);

    @Autowired
    protected GrpcServer grpcServer;

    /** One channel per server (per test JVM): plaintext to 127.0.0.1, as a payment system on the host would connect. */
    protected ManagedChannel channel() {
        return CHANNELS.computeIfAbsent(grpcServer.port(), port -> NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build());
    }

    /** A stub sending {@code authorization: Bearer <apiKey>} (no header when apiKey is null). */
    protected LedgerBlockingStub stub(String apiKey) {
        LedgerBlockingStub stub = LedgerGrpc.newBlockingStub(channel());
        if (apiKey == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A tenant of its own (made over REST by the bootstrap operator key) with its admin key. */
    protected record Tenant(String id, String apiKey, LedgerBlockingStub ledger, LedgerClient rest) {
        /** The stub, with response headers captured into {@code headers}. */
        LedgerBlockingStub capturing(AtomicReference<Metadata> headers) {
            return ledger.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()));
        }
    }

    protected Tenant tenant(String prefix) {
        LedgerClient rest = newTenant("g-" + prefix);
        return new Tenant(rest.tenant(), rest.apiKey(), stub(rest.apiKey()), rest);
    }

    /** A new key of the tenant with the given roles (issued over REST by the tenant's admin key). */
    protected static String issueKey(Tenant t, String... roles) {
        LedgerClient.Response issued = t.rest().post("/v1/api-keys", null,
                "{\"roles\":[\"" + String.join("\",\"", roles) + "\"]}");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        return issued.json().get("apiKey").asText();
    }

    // ---------------------------------------------------------------- requests

    protected static String key() {
        return "g-" + UUID.randomUUID();
    }

    protected static NewTransfer.Builder transfer(String id, String debit, String credit, String amount, String currency) {
        return NewTransfer.newBuilder().setId(id).setDebitAccount(debit).setCreditAccount(credit).setAmount(amount)
                .setCurrency(currency).setIdempotencyKey(key());
    }

    protected static SubmitTransfersResponse submit(Tenant t, NewTransfer.Builder... transfers) {
        SubmitTransfersRequest.Builder request = SubmitTransfersRequest.newBuilder();
        for (NewTransfer.Builder transfer : transfers) {
            request.addTransfers(transfer);
        }
        return submit(t, request.build());
    }

    protected static SubmitTransfersResponse submit(Tenant t, SubmitTransfersRequest request) {
        SubmitTransfersResponse response = t.ledger().submitTransfers(request);
        assertThat(response.getResultsCount()).as("one result per transfer").isEqualTo(request.getTransfersCount());
        for (int i = 0; i < response.getResultsCount(); i++) {
            assertThat(response.getResults(i).getIndex()).isEqualTo(i);
        }
        return response;
    }

    protected static Account open(Tenant t, String id, String currency, String kind, String overdraftLimit) {
        OpenAccountRequest.Builder request = OpenAccountRequest.newBuilder().setId(id).setCurrency(currency)
                .setKind(kind);
        if (overdraftLimit != null) {
            request.setOverdraftLimit(overdraftLimit);
        }
        return t.ledger().openAccount(request.build());
    }

    /**
     * An unlimited ASSET source "cash-CCY", a LIABILITY "sink-CCY" for markers and the given LIABILITY
     * accounts (no overdraft), all in one currency.
     */
    protected static void openBook(Tenant t, String currency, String... liabilities) {
        open(t, "cash-" + currency, currency, "ASSET", "unlimited");
        open(t, "sink-" + currency, currency, "LIABILITY", null);
        for (String id : liabilities) {
            open(t, id, currency, "LIABILITY", null);
        }
    }

    /** Moves {@code amount} from cash-CCY to a liability account and waits until its statement shows it. */
    protected static void fund(Tenant t, String account, String amount, String currency) {
        String id = "fund-" + MARKERS.incrementAndGet();
        TransferResult funded = submit(t, transfer(id, "cash-" + currency, account, amount, currency)).getResults(0);
        assertThat(funded.getOk()).as(funded.toString()).isTrue();
        awaitStatementHas(t, account, id);
    }

    // ---------------------------------------------------------------- reads

    protected static Account account(Tenant t, String id) {
        return t.ledger().getAccount(GetAccountRequest.newBuilder().setAccountId(id).build()).getAccount();
    }

    protected static Account awaitAccount(Tenant t, String id, Predicate<Account> condition) {
        return await("account " + id, () -> {
            try {
                return account(t, id);
            } catch (StatusRuntimeException e) {
                return null;
            }
        }, condition);
    }

    protected static Transfer awaitTransfer(Tenant t, String id, Predicate<Transfer> condition) {
        return await("transfer " + id, () -> {
            try {
                return t.ledger().getTransfer(GetTransferRequest.newBuilder().setTransferId(id).build());
            } catch (StatusRuntimeException e) {
                return null;
            }
        }, condition);
    }

    protected static List<StatementLine> statement(Tenant t, String account) {
        return t.ledger().getStatement(GetStatementRequest.newBuilder().setAccountId(account).setLimit(1000).build())
                .getEntriesList();
    }

    protected static List<StatementLine> awaitStatementHas(Tenant t, String account, String transferId) {
        return await("statement of " + account + " with " + transferId, () -> {
            try {
                return statement(t, account);
            } catch (StatusRuntimeException e) {
                return null; // the account is not in the read model yet
            }
        }, lines -> lines.stream().anyMatch(l -> l.getTransferId().equals(transferId)));
    }

    /**
     * The transfers on an account's statement, once everything sent before has been projected: posts a
     * marker (one minor unit from cash-CCY) and waits for it; the marker itself is left out.
     */
    protected static List<String> settledTransferIds(Tenant t, String account, String currency, String unit) {
        String marker = "marker-" + MARKERS.incrementAndGet();
        TransferResult posted = submit(t, transfer(marker, "cash-" + currency, account, unit, currency)).getResults(0);
        assertThat(posted.getOk()).as("marker on %s: %s", account, posted).isTrue();
        List<String> ids = new ArrayList<>();
        for (StatementLine line : awaitStatementHas(t, account, marker)) {
            if (!line.getTransferId().equals(marker)) {
                ids.add(line.getTransferId());
            }
        }
        return ids;
    }

    /** Asserts the transfers are absent, once a transfer sent after them is visible (one ordered projection). */
    protected static void assertNoTransfers(Tenant t, String currency, String unit, Collection<String> ids) {
        String marker = "marker-" + MARKERS.incrementAndGet();
        TransferResult posted = submit(t, transfer(marker, "cash-" + currency, "sink-" + currency, unit, currency))
                .getResults(0);
        assertThat(posted.getOk()).as("marker: %s", posted).isTrue();
        awaitTransfer(t, marker, x -> true);
        for (String id : ids) {
            assertRefused(() -> t.ledger().getTransfer(GetTransferRequest.newBuilder().setTransferId(id).build()),
                    Status.Code.NOT_FOUND, "transfer_not_found");
        }
    }

    protected static <T> T await(String what, Supplier<T> read, Predicate<T> condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (last != null && condition.test(last)) {
                return last;
            }
            pause(25);
        }
        throw new AssertionError(what + " did not reach the expected state; last: " + last);
    }

    // ---------------------------------------------------------------- errors

    /** The call's ErrorInfo: domain "ledger", reason the REST code. */
    protected static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("google.rpc.Status in %s", e).isNotNull();
        assertThat(status.getCode()).isEqualTo(e.getStatus().getCode().value());
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    ErrorInfo info = detail.unpack(ErrorInfo.class);
                    assertThat(info.getDomain()).isEqualTo("ledger");
                    return info;
                } catch (InvalidProtocolBufferException x) {
                    throw new AssertionError(x);
                }
            }
        }
        throw new AssertionError("no ErrorInfo in " + status);
    }

    /** Asserts the call fails with {@code code} and ErrorInfo reason {@code reason}; returns the error. */
    protected static StatusRuntimeException assertRefused(Runnable call, Status.Code code, String reason) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call should fail with %s %s", code, reason).isNotNull();
        assertThat(errorInfo(e).getReason()).as(e.toString()).isEqualTo(reason);
        assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(code);
        return e;
    }

    protected static void assertResult(TransferResult result, String code) {
        assertThat(result.getOk()).as(result.toString()).isFalse();
        assertThat(result.getCode()).as(result.toString()).isEqualTo(code);
        assertThat(result.getDetail()).as(result.toString()).isNotEmpty();
    }

    protected static void assertOk(TransferResult result) {
        assertThat(result.getOk()).as(result.toString()).isTrue();
        assertThat(result.getCode()).isEmpty();
        assertThat(result.getTransfer().getId()).isNotEmpty();
    }

    protected static Set<String> set(String... values) {
        return Set.of(values);
    }

    protected static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
