package ledger.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.TestFiles;
import ledger.api.feed.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 with two service processes on one PostgreSQL (node A embeds it, node B connects to it): a
 * key revoked on A is refused by B, which had it cached; one rate limit holds across both nodes; a
 * change-feed stream on B carries what is written on A.
 */
class TwoServicesIT {
    /** How long B may take to hear a signal sent with A's commit (a bound, not a speed assertion). */
    private static final Duration SIGNAL_WAIT = Duration.ofSeconds(10);
    private static final Path ROOT = Path.of("target", "two-services-" + UUID.randomUUID().toString().substring(0, 8));
    private static ServiceProcess a;
    private static ServiceProcess b;

    @BeforeAll
    static void start() throws Exception {
        int pgPort;
        try (ServerSocket s = new ServerSocket(0)) {
            pgPort = s.getLocalPort();
        }
        int[] portsA = ServiceProcess.freePorts();
        a = ServiceProcess.start(ROOT.resolve("node-a"), portsA[0], portsA[1], "--ledger.embedded.port=" + pgPort);
        Path keyFile = ROOT.resolve("node-a").toAbsolutePath().resolve("keys").resolve("audit-ed25519.pem");
        int[] portsB = ServiceProcess.freePorts();
        b = ServiceProcess.start(ROOT.resolve("node-b"), portsB[0], portsB[1],
                "--ledger.db.url=jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "--ledger.db.user=postgres",
                "--ledger.audit.signing-key-file=" + keyFile);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.terminate(Duration.ofSeconds(60));
        }
        if (a != null) {
            a.terminate(Duration.ofSeconds(60));
        }
        TestFiles.deleteRecursively(ROOT);
    }

    private static LedgerClient operator(ServiceProcess node) {
        return new LedgerClient(node.httpPort(), ServiceProcess.OPERATOR_KEY);
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedByTheOtherThatHadItCached() {
        LedgerClient adminA = operator(a).createTenant("two-keys-" + Long.toHexString(System.nanoTime()));
        Response issued = adminA.post("/v1/api-keys", null, "{\"roles\":[\"finance\"]}");
        String id = issued.json().get("id").asText();
        LedgerClient financeB = new LedgerClient(b.httpPort(), issued.json().get("apiKey").asText());
        assertThat(financeB.get("/v1/reports/trial-balance").status()).as("B knows and caches the key").isEqualTo(200);
        assertThat(financeB.get("/v1/reports/trial-balance").status()).isEqualTo(200);

        Response revoked = adminA.send(HttpRequest.newBuilder(adminA.uri("/v1/api-keys/" + id)).DELETE(), null);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(new LedgerClient(a.httpPort(), financeB.apiKey()).get("/v1/reports/trial-balance").status())
                .as("A refuses it from the answer on").isEqualTo(401);
        int status = awaitStatus(financeB, "/v1/reports/trial-balance", 401);
        assertThat(status).as("B refuses it once the revocation's signal arrived").isEqualTo(401);
        for (int i = 0; i < 5; i++) {
            assertThat(financeB.get("/v1/reports/trial-balance").status()).isEqualTo(401);
        }
        // B lists it as revoked too
        LedgerClient adminB = new LedgerClient(b.httpPort(), adminA.apiKey());
        assertThat(adminB.get("/v1/api-keys").body()).contains("\"revokedAt\":\"");
    }

    @Test
    void oneRateLimitHoldsAcrossBothNodes() {
        LedgerClient root = operator(a);
        String plan = "two-" + Long.toHexString(System.nanoTime());
        assertThat(put(root, "/v1/rate-limit-plans/" + plan,
                "{\"capacity\":6,\"refillTokens\":1,\"refillPeriodMs\":3600000}").status()).isEqualTo(200);
        LedgerClient adminA = root.createTenant("two-limits-" + Long.toHexString(System.nanoTime()));
        Response issued = adminA.post("/v1/api-keys", null, "{\"roles\":[\"finance\"]}");
        String key = issued.json().get("apiKey").asText();
        assertThat(put(root, "/v1/tenants/" + adminA.tenant() + "/rate-limits", "{\"keyPlan\":\"" + plan + "\"}")
                .status()).isEqualTo(200);
        LedgerClient onA = new LedgerClient(a.httpPort(), key);
        LedgerClient onB = new LedgerClient(b.httpPort(), key);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add((i % 2 == 0 ? onA : onB).get("/v1/events").status());
        }
        assertThat(statuses.stream().filter(s -> s == 200).count()).as("6 tokens in all: " + statuses).isEqualTo(6);
        assertThat(statuses.subList(6, 12)).as("both nodes refuse once the shared bucket is empty")
                .containsOnly(429);
        // raised on B: both nodes let the key through again
        assertThat(put(operator(b), "/v1/rate-limit-plans/" + plan,
                "{\"capacity\":20,\"refillTokens\":1,\"refillPeriodMs\":3600000}").status()).isEqualTo(200);
        assertThat(onB.get("/v1/events").status()).isEqualTo(200);
        assertThat(awaitStatus(onA, "/v1/events", 200)).as("A hears the change").isEqualTo(200);
    }

    @Test
    void aStreamOnOneNodeCarriesWhatIsWrittenOnTheOther() {
        LedgerClient adminA = operator(a).createTenant("two-feed-" + Long.toHexString(System.nanoTime()));
        assertThat(adminA.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        try (SseClient stream = SseClient.open(b.httpPort(), adminA.apiKey(), "/v1/events/stream", null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next().id()).isEqualTo("0");
            assertThat(adminA.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);
            assertThat(adminA.transfer("k-1", "t-1", "cash", "wallet", "1.00", "EUR").status()).isEqualTo(201);
            SseClient.Event opened = stream.next();
            assertThat(opened.id()).isEqualTo("1");
            assertThat(opened.data().get("eventType").asText()).isEqualTo("ledger.AccountOpened");
            assertThat(stream.next().data().get("eventType").asText()).isEqualTo("ledger.TransferPosted");
        }
    }

    /** Sends until the answer has {@code wanted} or {@link #SIGNAL_WAIT} passed; returns the last status. */
    private static int awaitStatus(LedgerClient c, String path, int wanted) {
        long deadline = System.nanoTime() + SIGNAL_WAIT.toNanos();
        int status;
        do {
            status = c.get(path).status();
            if (status == wanted) {
                return status;
            }
            ServiceProcess.sleep(20);
        } while (System.nanoTime() < deadline);
        return status;
    }

    private static Response put(LedgerClient c, String path, String body) {
        return c.send(HttpRequest.newBuilder(c.uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), null);
    }
}
