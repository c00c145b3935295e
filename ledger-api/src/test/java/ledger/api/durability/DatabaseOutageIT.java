package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import ledger.api.LedgerClient;
import ledger.api.LedgerServiceIT;
import ledger.api.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database goes away for 10 s under load and comes back: meanwhile REST answers {@code 503
 * database_unavailable} with {@code Retry-After} (never a 500, never a hang), health says DOWN; the
 * service recovers by itself once the database is back, and nothing acknowledged is lost. The
 * database is a real PostgreSQL process of its own (not the service's embedded one), which the test
 * stops (fast shutdown, as an operator or a failover does) and starts again on the same port.
 */
class DatabaseOutageIT extends LedgerServiceIT {
    private static final Path PG_DATA = Path.of("target/it-data/outage-pg-" + ProcessHandle.current().pid());
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int CLIENTS = 4;
    private static int pgPort;
    private static volatile EmbeddedPostgres database;

    @DynamicPropertySource
    static void externalDatabase(DynamicPropertyRegistry registry) throws IOException {
        TestFiles.deleteRecursively(PG_DATA);
        try (ServerSocket free = new ServerSocket(0)) {
            pgPort = free.getLocalPort();
        }
        database = startDatabase();
        registry.add("ledger.db.url", () -> "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres");
        registry.add("ledger.db.user", () -> "postgres");
        registry.add("ledger.data-dir", () -> "target/it-data/outage-svc-" + ProcessHandle.current().pid());
    }

    private static EmbeddedPostgres startDatabase() throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(PG_DATA)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(PG_DATA.resolveSibling(PG_DATA.getFileName() + "-bin").toFile())
                .setPort(pgPort)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    @org.springframework.beans.factory.annotation.Autowired
    private ledger.api.grpc.GrpcServer grpcServer;

    @AfterAll
    static void stopDatabase() throws IOException {
        if (database != null) {
            database.close();
        }
    }

    private record Sent(String key, String id, long cents) {
    }

    @Test
    void anOutageIsAnswered503AndNothingAcknowledgedIsLost() throws Exception {
        LedgerClient c = newTenant("outage");
        assertThat(c.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(c.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);

        Map<String, Sent> acknowledged = new ConcurrentHashMap<>();
        Map<String, Sent> unavailable = new ConcurrentHashMap<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acknowledgedAfterRestart = new AtomicInteger();
        AtomicBoolean restarted = new AtomicBoolean(false);
        AtomicLong firstAfterRestart = new AtomicLong();
        AtomicLong next = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    long n = next.incrementAndGet();
                    Sent sent = new Sent("k-" + n, "t-" + n, 1 + n % 97);
                    LedgerClient.Response r = c.transfer(sent.key(), sent.id(), "cash", "wallet",
                            BigDecimal.valueOf(sent.cents(), 2).toPlainString(), "EUR");
                    if (r.status() == 201) {
                        acknowledged.put(sent.id(), sent);
                        if (restarted.get()) {
                            acknowledgedAfterRestart.incrementAndGet();
                            firstAfterRestart.compareAndSet(0, System.nanoTime());
                        }
                    } else if (r.status() == 503 && r.body().contains("\"database_unavailable\"")
                            && r.header("Retry-After") != null
                            && String.valueOf(r.header("Content-Type")).startsWith("application/problem+json")) {
                        unavailable.put(sent.id(), sent);
                        sleep(200);
                    } else {
                        wrong.add(r.toString());
                    }
                }
            });
            client.start();
            clients.add(client);
        }

        sleep(2_000);
        int before = acknowledged.size();
        database.close(); // fast shutdown: open connections are terminated
        long outageEnds = System.nanoTime() + OUTAGE.toNanos();
        LedgerClient.Response healthDown = null;
        io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
                .forAddress("127.0.0.1", grpcServer.port()).usePlaintext().build();
        io.grpc.health.v1.HealthCheckResponse.ServingStatus grpcHealth = null;
        io.grpc.Status.Code grpcTransfer = null;
        while (System.nanoTime() < outageEnds) {
            LedgerClient.Response health = c.get("/actuator/health");
            if (health.status() == 503) {
                healthDown = health;
            }
            io.grpc.health.v1.HealthCheckResponse.ServingStatus serving = io.grpc.health.v1.HealthGrpc
                    .newBlockingStub(channel).check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance())
                    .getStatus();
            if (serving != io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING) {
                grpcHealth = serving;
            }
            if (grpcTransfer == null) {
                io.grpc.Metadata headers = new io.grpc.Metadata();
                headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                        "Bearer " + c.apiKey());
                try {
                    ledger.grpc.v1.LedgerGrpc.newBlockingStub(channel).withInterceptors(
                                    io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                            .getAccount(ledger.grpc.v1.GetAccountRequest.newBuilder().setAccountId("wallet").build());
                } catch (io.grpc.StatusRuntimeException e) {
                    grpcTransfer = e.getStatus().getCode();
                }
            }
            sleep(500);
        }
        channel.shutdownNow();
        long down = System.nanoTime() - outageEnds + OUTAGE.toNanos();
        database = startDatabase();
        long back = System.nanoTime();
        restarted.set(true);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledgedAfterRestart.get() < 50 && System.nanoTime() < deadline) {
            sleep(100);
        }
        running.set(false);
        for (Thread client : clients) {
            client.join(30_000);
        }

        int duringOutage = acknowledged.size() - before - acknowledgedAfterRestart.get();
        System.out.printf("database outage: PostgreSQL down %.1f s under %d clients; acknowledged %d before, %d"
                        + " while it went down, %d after; answered 503 database_unavailable %d; first acknowledgement"
                        + " %d ms after PostgreSQL was back; other answers %d%n", down / 1e9, CLIENTS, before,
                duringOutage, acknowledgedAfterRestart.get(), unavailable.size(),
                firstAfterRestart.get() == 0 ? -1 : (firstAfterRestart.get() - back) / 1_000_000, wrong.size());
        assertThat(wrong).as("every answer is 201 or 503 database_unavailable with Retry-After").isEmpty();
        assertThat(before).as("transfers went through before the outage").isPositive();
        assertThat(unavailable).as("the outage was answered 503").isNotEmpty();
        assertThat(healthDown).as("health reported the outage").isNotNull();
        assertThat(grpcHealth).as("gRPC health reported the outage")
                .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
        assertThat(grpcTransfer).as("a gRPC read during the outage").isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(acknowledgedAfterRestart.get()).as("the service recovered by itself").isGreaterThanOrEqualTo(50);
        assertThat(c.get("/actuator/health").status()).isEqualTo(200);

        // each refused request, sent again with its key, is applied at most once (it may have been before)
        for (Sent sent : unavailable.values()) {
            LedgerClient.Response again = c.transfer(sent.key(), sent.id(), "cash", "wallet",
                    BigDecimal.valueOf(sent.cents(), 2).toPlainString(), "EUR");
            assertThat(again.status()).as(again.toString()).isEqualTo(201);
            acknowledged.put(sent.id(), sent);
        }
        long expected = 0;
        for (Sent sent : acknowledged.values()) {
            LedgerClient.Response transfer = c.get("/v1/transfers/" + sent.id());
            assertThat(transfer.status()).as("acknowledged %s is there", sent.id()).isEqualTo(200);
            expected += sent.cents();
        }
        LedgerClient.Response wallet = c.account("wallet");
        assertThat(new BigDecimal(wallet.json().get("balance").asText()))
                .as("the balance is the sum of the acknowledged transfers, each once")
                .isEqualByComparingTo(BigDecimal.valueOf(expected, 2));
        assertThat(new BigDecimal(c.account("cash").json().get("debitsPosted").asText()))
                .isEqualByComparingTo(BigDecimal.valueOf(expected, 2));
        System.out.printf("database outage: %d transfers acknowledged (the refused ones sent again included), each"
                + " there once, lost 0%n", acknowledged.size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
