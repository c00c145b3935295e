package ledger.loadgen;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ledger.grpc.v1.LedgerGrpc;
import ledger.grpc.v1.NewTransfer;
import ledger.grpc.v1.OpenAccountRequest;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.SubmitTransfersResponse;
import ledger.grpc.v1.TransferResult;

/**
 * {@code ledger.v1.Ledger/SubmitTransfers} with one result per transfer. Clients share a few HTTP/2
 * connections ({@link Channels}); each call has a deadline so a stalled service shows up as
 * {@code DEADLINE_EXCEEDED} refusals rather than a hung run.
 */
final class GrpcTransport implements Transport {
    static final int BATCH_MAX = 8_190;
    private static final long DEADLINE_SECONDS = 60;

    private final LedgerGrpc.LedgerBlockingStub stub;

    GrpcTransport(ManagedChannel channel, String apiKey) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        this.stub = LedgerGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public List<Outcome> submit(List<Transfer> transfers) {
        SubmitTransfersRequest.Builder request = SubmitTransfersRequest.newBuilder();
        for (Transfer t : transfers) {
            request.addTransfers(NewTransfer.newBuilder().setId(t.id()).setIdempotencyKey(t.id())
                    .setDebitAccount(t.debit()).setCreditAccount(t.credit())
                    .setAmount(t.amount()).setCurrency(t.currency()));
        }
        List<Outcome> outcomes = new ArrayList<>(transfers.size());
        try {
            SubmitTransfersResponse response = stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .submitTransfers(request.build());
            if (response.getResultsCount() != transfers.size()) {
                throw new IllegalStateException("sent " + transfers.size() + " transfers, got "
                        + response.getResultsCount() + " results");
            }
            for (TransferResult result : response.getResultsList()) {
                outcomes.add(result.getOk() && !result.getReplayed() ? Outcome.CREATED
                        : Outcome.refused(result.getOk() ? "replayed" : result.getCode()));
            }
        } catch (StatusRuntimeException failed) {
            Outcome refused = Outcome.refused("call " + failed.getStatus().getCode());
            transfers.forEach(t -> outcomes.add(refused));
        }
        return outcomes;
    }

    @Override
    public void openAccount(String id, String currency, String kind, String overdraftLimit) {
        stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).openAccount(OpenAccountRequest.newBuilder()
                .setId(id).setCurrency(currency).setKind(kind).setOverdraftLimit(overdraftLimit).build());
    }

    @Override
    public int batchMax() {
        return BATCH_MAX;
    }

    @Override
    public void close() {
        // the channel is shared; Channels closes it
    }

    /** A few shared connections: one per {@code clientsPerChannel} clients, handed out round robin. */
    static final class Channels implements AutoCloseable {
        private final List<ManagedChannel> channels = new ArrayList<>();

        Channels(String target, File trustedCertificates, int clients, int clientsPerChannel) {
            ChannelCredentials credentials;
            try {
                credentials = trustedCertificates == null ? InsecureChannelCredentials.create()
                        : TlsChannelCredentials.newBuilder().trustManager(trustedCertificates).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + trustedCertificates, e);
            }
            int count = Math.max(1, (clients + clientsPerChannel - 1) / clientsPerChannel);
            for (int i = 0; i < count; i++) {
                channels.add(Grpc.newChannelBuilder(target, credentials)
                        .maxInboundMessageSize(64 * 1024 * 1024).build());
            }
        }

        ManagedChannel forClient(int client) {
            return channels.get(client % channels.size());
        }

        @Override
        public void close() {
            for (ManagedChannel channel : channels) {
                channel.shutdown();
            }
            for (ManagedChannel channel : channels) {
                try {
                    channel.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
