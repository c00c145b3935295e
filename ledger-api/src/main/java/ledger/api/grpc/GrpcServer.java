package ledger.api.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import ledger.grpc.v1.LedgerGrpc;
import java.util.concurrent.TimeUnit;
import ledger.api.config.LedgerProperties;
import ledger.grpc.v1.LedgerGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gRPC server: the ledger service behind {@link GrpcAuth}, the standard health service
 * ({@code grpc.health.v1.Health}, SERVING once started and while the database answers,
 * NOT_SERVING while it does not) and server reflection. Listens on
 * {@code ledger.grpc.address} (127.0.0.1 by default) and {@code ledger.grpc.port}; TLS when a
 * certificate chain and private key are configured; requests larger than
 * {@code ledger.grpc.inbound-message-bytes-max} are refused with RESOURCE_EXHAUSTED.
 *
 * <p>Starts after the command bus and stops before it (and with the web server), so calls in
 * flight are answered: it stops taking calls, reports NOT_SERVING, waits for running calls.
 */
public final class GrpcServer implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    private static final long SHUTDOWN_GRACE_SECONDS = 20;

    private final LedgerProperties.Grpc settings;
    private final BindableService ledger;
    private final GrpcAuth auth;
    private final Executor executor;
    private final HealthStatusManager health = new HealthStatusManager();
    private final BooleanSupplier databaseUp;
    private volatile Server server;
    private volatile ScheduledExecutorService healthChecks;

    /**
     * @param databaseUp whether the database answers now: the health service says NOT_SERVING while
     *                   it does not (checked every {@link #HEALTH_CHECK_SECONDS} s)
     */
    public GrpcServer(LedgerProperties.Grpc settings, BindableService ledger, GrpcAuth auth, Executor executor,
                      BooleanSupplier databaseUp) {
        this.settings = settings;
        this.ledger = ledger;
        this.auth = auth;
        this.executor = executor;
        this.databaseUp = databaseUp;
    }

    static final int HEALTH_CHECK_SECONDS = 2;

    private void checkHealth() {
        ServingStatus status = databaseUp.getAsBoolean() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", status);
        health.setStatus(LedgerGrpc.SERVICE_NAME, status);
    }

    /** The port the server listens on (the bound one when configured as 0); -1 when not running. */
    public int port() {
        Server running = server;
        return running == null ? -1 : running.getPort();
    }

    public boolean tls() {
        return settings.tls() != null && settings.tls().certChain() != null;
    }

    /**
     * {@code SubmitTransfers} starts on the transport's thread: a lone posted transfer is parsed and
     * queued for the group commit without waiting for anything, so handing it to the call executor
     * first would only add a thread hand-off per call. Anything that may wait (a key look-up for a
     * batch or a pending transfer) is handed over by {@link LedgerGrpcService#submitTransfers}.
     * Every other call runs on the call executor.
     */
    private static <Q, R> Executor callExecutor(ServerCall<Q, R> call, Metadata headers) {
        return LedgerGrpc.getSubmitTransfersMethod().getFullMethodName()
                .equals(call.getMethodDescriptor().getFullMethodName()) ? Runnable::run : null;
    }

    @Override
    public void start() {
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(settings.address()), settings.port());
        } catch (IOException e) {
            throw new IllegalStateException("ledger.grpc.address " + settings.address() + " is not an address", e);
        }
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                .executor(executor)
                .callExecutor(GrpcServer::callExecutor)
                .maxInboundMessageSize(settings.inboundMessageBytesMax())
                .addService(ServerInterceptors.intercept(ledger, auth))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(reflectionV1Alpha());
        LedgerProperties.Grpc.Tls tls = settings.tls();
        Path certChain = tls == null ? null : tls.certChain();
        Path privateKey = tls == null ? null : tls.privateKey();
        if ((certChain == null) != (privateKey == null)) {
            throw new IllegalStateException("ledger.grpc.tls needs both cert-chain and private-key, or neither");
        }
        if (certChain != null) {
            for (Path file : new Path[] {certChain, privateKey}) {
                if (!Files.isReadable(file)) {
                    throw new IllegalStateException("ledger.grpc.tls: cannot read " + file.toAbsolutePath());
                }
            }
            builder.useTransportSecurity(certChain.toFile(), privateKey.toFile());
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("gRPC server could not listen on " + settings.address() + ":"
                    + settings.port(), e);
        }
        checkHealth();
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "grpc-health");
            thread.setDaemon(true);
            return thread;
        });
        checks.scheduleWithFixedDelay(this::checkHealth, HEALTH_CHECK_SECONDS, HEALTH_CHECK_SECONDS, TimeUnit.SECONDS);
        healthChecks = checks;
        LOG.info("gRPC listening on {}:{} ({})", settings.address(), server.getPort(),
                certChain != null ? "TLS" : "plaintext");
    }

    /** Reflection v1alpha as well, for clients (older grpcurl) that know only that one. */
    @SuppressWarnings("deprecation")
    private static BindableService reflectionV1Alpha() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    @Override
    public void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        ScheduledExecutorService checks = healthChecks;
        if (checks != null) {
            checks.shutdownNow();
        }
        health.enterTerminalState();
        running.shutdown();
        try {
            if (!running.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("gRPC calls still running after {} s; cancelling them", SHUTDOWN_GRACE_SECONDS);
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.shutdownNow();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** With the web server: after the command bus starts, before it stops. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
