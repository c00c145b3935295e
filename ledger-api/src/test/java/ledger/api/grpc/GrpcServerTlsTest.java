package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import ledger.api.config.LedgerProperties;
import ledger.grpc.v1.GetAccountRequest;
import ledger.grpc.v1.LedgerGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a certificate chain and private key configured, the gRPC server speaks TLS only. */
class GrpcServerTlsTest {
    /** A self-signed certificate for localhost and 127.0.0.1, valid until 2126: a test fixture only. */
    private static final String CERT = """
            -----BEGIN CERTIFICATE-----
            MIIBmzCCAUGgAwIBAgIUfsbx2DfX33RGMvAVGOPb++cMuhswCgYIKoZIzj0EAwIw
            FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyODEwMzMyMFoYDzIxMjYxMTA0
            MTAzMzIwWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
            PQMBBwNCAARbpB4CMyciCuKiFVVp+xgnj6igEDcVfbanpzvPBzIx63b8aAkay+LQ
            uF8FLfs46q5tR9+p9yh8vJ/8gDeKRdXYo28wbTAdBgNVHQ4EFgQUgmizchVqd8X0
            cdadQvBrGAz5XzIwHwYDVR0jBBgwFoAUgmizchVqd8X0cdadQvBrGAz5XzIwDwYD
            VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
            zj0EAwIDSAAwRQIhAIQq7bLncCZtDE4aLQvNFJegP2cswc6OtW1FmAPyBdNQAiB7
            ILaDJ1glMvrr4b8GwiWsCun75o3Z5XlfFSGIWvy8PA==
            -----END CERTIFICATE-----
            """;
    /** The certificate's key (PKCS#8), generated for this test and used nowhere else. */
    private static final String KEY = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgt7ZLCXt5Mz2S8rzw
            KrUJTbeRXJyJzlFxvxPImfJfcmWhRANCAARbpB4CMyciCuKiFVVp+xgnj6igEDcV
            fbanpzvPBzIx63b8aAkay+LQuF8FLfs46q5tR9+p9yh8vJ/8gDeKRdXY
            -----END PRIVATE KEY-----
            """;

    @TempDir
    Path dir;
    private final ExecutorService calls = Executors.newCachedThreadPool();
    private Path cert;
    private Path key;

    @BeforeEach
    void files() throws Exception {
        cert = Files.writeString(dir.resolve("cert.pem"), CERT);
        key = Files.writeString(dir.resolve("key.pem"), KEY);
    }

    @AfterEach
    void stopThreads() {
        calls.shutdownNow();
    }

    @Test
    void servesTlsWhenACertificateAndKeyAreConfigured() throws Exception {
        GrpcServer server = server(new LedgerProperties.Grpc.Tls(cert, key));
        server.start();
        ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(cert.toFile()).build())
                .overrideAuthority("localhost")
                .build();
        ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            assertThat(server.tls()).isTrue();
            assertThat(HealthGrpc.newBlockingStub(tls).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
            // the ledger service is there, behind authentication
            StatusRuntimeException unauthenticated = catchThrowableOfType(StatusRuntimeException.class, () ->
                    LedgerGrpc.newBlockingStub(tls).getAccount(GetAccountRequest.getDefaultInstance()));
            assertThat(unauthenticated.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            // plaintext gets nowhere
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                    HealthGrpc.newBlockingStub(plain).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()));
            assertThat(refused).isNotNull();
        } finally {
            tls.shutdownNow();
            plain.shutdownNow();
            server.stop();
        }
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void aCertificateWithoutAKeyIsAConfigurationError() {
        assertThatThrownBy(() -> server(new LedgerProperties.Grpc.Tls(cert, null)).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("private-key");
        assertThatThrownBy(() -> server(new LedgerProperties.Grpc.Tls(cert, dir.resolve("missing.pem"))).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.pem");
    }

    private GrpcServer server(LedgerProperties.Grpc.Tls tls) {
        return new GrpcServer(new LedgerProperties.Grpc(true, "127.0.0.1", 0, 4 * 1024 * 1024, tls),
                new LedgerGrpc.LedgerImplBase() { }, new GrpcAuth(null, null), calls, () -> true);
    }
}
