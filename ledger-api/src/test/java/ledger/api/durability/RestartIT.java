package ledger.api.durability;

import ledger.api.TestFiles;

import static ledger.api.durability.Ledgers.minor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import ledger.api.LedgerApplication;
import ledger.api.LedgerClient;
import ledger.api.config.LedgerProperties;
import ledger.api.durability.Ledgers.Line;
import ledger.audit.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stops the service and starts it again on the same data directory (and so the same embedded
 * PostgreSQL data): balances, holds, stored idempotent answers, API keys, persisted deadlines and
 * hash chains must all come back, and the restarted command side must decide exactly as the old
 * one would have. A pending transfer whose deadline passes while the service is down expires after
 * the restart.
 */
class RestartIT {
    private static final String ROOT_TENANT = "restart-root";
    private static final String ROOT_KEY = "restart-root-key-0123456789";
    private static final String EUR = "EUR";
    private static final long SHORT_TIMEOUT_SECONDS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir = Path.of("target", "restart-it-" + UUID.randomUUID().toString().substring(0, 8));
    private ConfigurableApplicationContext running;

    static {
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    @AfterEach
    void stopAndDelete() {
        try {
            if (running != null) {
                running.close();
            }
        } finally {
            running = null;
            TestFiles.deleteRecursively(dataDir);
        }
    }

    @Test
    void everythingAcknowledgedSurvivesARestartAndDeadlinesFireAfterDowntime() throws Exception {
        // ---------------- first life ----------------
        running = start();
        LedgerClient root = new LedgerClient(port(running), ROOT_KEY);
        LedgerClient t = root.createTenant("restart-" + Long.toHexString(System.nanoTime()));
        String tenant = t.tenant();
        assertThat(t.openAccount("bank", EUR, "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(t.openAccount("alice", EUR, "LIABILITY", null).status()).isEqualTo(201);
        assertThat(t.openAccount("bob", EUR, "LIABILITY", null).status()).isEqualTo(201);
        assertThat(t.openAccount("merchant", EUR, "LIABILITY", null).status()).isEqualTo(201);

        LedgerClient.Response k1 = t.transfer("k-1", "t-1", "bank", "alice", "100.00", EUR);
        assertThat(k1.status()).as(k1.toString()).isEqualTo(201);
        LedgerClient.Response k2 = t.transfer("k-2", "t-2", "alice", "bob", "30.00", EUR);
        assertThat(k2.status()).as(k2.toString()).isEqualTo(201);
        LedgerClient.Response k3 = t.transfer("k-3", "t-3", "alice", "bob", "500.00", EUR);
        assertThat(k3.status()).as(k3.toString()).isEqualTo(422);
        assertThat(k3.code()).isEqualTo("insufficient_funds");
        LedgerClient.Response k4 = pending(t, "k-4", "p-long", "alice", "merchant", "40.00", 3600);
        assertThat(k4.status()).as(k4.toString()).isEqualTo(201);
        assertThat(k4.json().get("status").asText()).isEqualTo("PENDING");

        t.awaitAccount("alice", a -> a.get("balance").asText().equals("70.00")
                && a.get("available").asText().equals("30.00"));
        t.awaitAccount("merchant", a -> a.get("creditsPending").asText().equals("40.00"));

        // the short hold is the last thing before the service goes down
        LedgerClient.Response k5 = pending(t, "k-5", "p-short", "bob", "merchant", "10.00", SHORT_TIMEOUT_SECONDS);
        assertThat(k5.status()).as(k5.toString()).isEqualTo(201);
        Instant shortExpiresAt = Instant.parse(k5.json().get("expiresAt").asText());

        JsonNode aliceBefore = t.awaitAccount("alice", a -> a.get("debitsPending").asText().equals("40.00")).json();
        JsonNode bankBefore = t.awaitAccount("bank", a -> a.get("balance").asText().equals("100.00")).json();
        JsonNode bobBefore = t.awaitAccount("bob", a -> a.get("balance").asText().equals("30.00")
                && a.get("available").asText().equals("20.00") && a.get("debitsPending").asText().equals("10.00")).json();
        JsonNode merchantBefore = t.awaitAccount("merchant", a -> a.get("creditsPending").asText().equals("50.00"))
                .json();
        t.awaitTransfer("p-short", v -> v.get("status").asText().equals("PENDING"));
        JsonNode trialBefore = trialBalance(t);
        Map<String, List<Line>> statementsBefore = new LinkedHashMap<>();
        for (String account : List.of("bank", "alice", "bob", "merchant")) {
            statementsBefore.put(account, Ledgers.statement(t, account, 2));
        }
        assertThat(statementsBefore.get("bank")).hasSize(1);
        assertThat(statementsBefore.get("alice")).hasSize(3);
        assertThat(statementsBefore.get("bob")).hasSize(2);
        assertThat(statementsBefore.get("merchant")).hasSize(2);
        JsonNode pLongBefore = t.get("/v1/transfers/p-long").json();

        running.close();
        running = null;
        Instant downAt = Instant.now();
        System.out.printf("RestartIT: service down %d ms before the short hold's deadline%n",
                Duration.between(downAt, shortExpiresAt).toMillis());
        assertThat(downAt).as("the service must be down before the short hold's deadline (%s); this machine took too "
                + "long to stop it", shortExpiresAt).isBefore(shortExpiresAt);
        // the deadline passes while nothing runs
        long wait = Duration.between(Instant.now(), shortExpiresAt).toMillis() + 1_000;
        if (wait > 0) {
            Ledgers.sleep(wait);
        }

        // ---------------- second life, same data directory ----------------
        Instant restarting = Instant.now();
        running = start();
        System.out.printf("RestartIT: second start took %d ms%n", Duration.between(restarting, Instant.now()).toMillis());
        root = new LedgerClient(port(running), ROOT_KEY);
        t = new LedgerClient(port(running), t.apiKey());
        // tenants and API keys are durable too: the tenant exists, its key still authenticates
        LedgerClient.Response sameTenant = root.post("/v1/tenants", null, "{\"id\":\"" + tenant + "\"}");
        assertThat(sameTenant.status()).as(sameTenant.toString()).isEqualTo(409);
        assertThat(sameTenant.code()).isEqualTo("duplicate_id");

        // read models: posted balances and history exactly as before
        assertThat(t.account("alice").json()).as("alice after restart").isEqualTo(aliceBefore);
        assertThat(t.account("bank").json()).as("bank after restart").isEqualTo(bankBefore);
        assertThat(trialBalance(t)).as("trial balance after restart").isEqualTo(trialBefore);
        for (String account : List.of("bob", "merchant")) {
            JsonNode before = account.equals("bob") ? bobBefore : merchantBefore;
            JsonNode after = t.account(account).json();
            for (String field : List.of("debitsPosted", "creditsPosted", "balance", "status")) {
                assertThat(after.get(field)).as("%s.%s after restart", account, field).isEqualTo(before.get(field));
            }
        }
        assertThat(Ledgers.statement(t, "alice", 2)).isEqualTo(statementsBefore.get("alice"));
        assertThat(Ledgers.statement(t, "bank", 2)).isEqualTo(statementsBefore.get("bank"));
        assertThat(t.get("/v1/transfers/p-long").json()).isEqualTo(pLongBefore);

        // the short hold expired after the restart (its deadline was persisted) and released its reservation
        t.awaitExpiry("p-short");
        t.awaitAccount("bob", a -> a.get("debitsPending").asText().equals("0.00")
                && a.get("available").asText().equals("30.00") && a.get("balance").asText().equals("30.00"));
        t.awaitAccount("merchant", a -> a.get("creditsPending").asText().equals("40.00")
                && a.get("balance").asText().equals("0.00"));
        LedgerClient.Response postExpired = t.post("/v1/transfers/p-short/post", "k-post-short", "{}");
        assertThat(postExpired.status()).as(postExpired.toString()).isEqualTo(409);
        assertThat(postExpired.code()).isIn("transfer_not_pending", "transfer_expired");
        // the long hold did not expire
        assertThat(t.get("/v1/transfers/p-long").json().get("status").asText()).isEqualTo("PENDING");

        // stored answers are replayed byte for byte, and post nothing
        assertReplay(t.transfer("k-1", "t-1", "bank", "alice", "100.00", EUR), k1);
        assertReplay(t.transfer("k-2", "t-2", "alice", "bob", "30.00", EUR), k2);
        assertReplay(t.transfer("k-3", "t-3", "alice", "bob", "500.00", EUR), k3);
        assertReplay(pending(t, "k-4", "p-long", "alice", "merchant", "40.00", 3600), k4);
        assertReplay(pending(t, "k-5", "p-short", "bob", "merchant", "10.00", SHORT_TIMEOUT_SECONDS), k5);
        LedgerClient.Response otherBody = t.transfer("k-1", "t-1", "bank", "alice", "100.01", EUR);
        assertThat(otherBody.status()).as(otherBody.toString()).isEqualTo(409);
        assertThat(otherBody.code()).isEqualTo("idempotency_conflict");
        // a transfer id is taken for good, whatever the key (docs/retries.md: other content is refused)
        LedgerClient.Response reusedId = t.transfer("k-6", "t-1", "bank", "alice", "1.00", EUR);
        assertThat(reusedId.status()).as(reusedId.toString()).isEqualTo(409);
        assertThat(reusedId.code()).isEqualTo("transfer_id_conflict");
        // the refused t-3 was never created, so its id is still free (but not under its old key)
        assertThat(t.get("/v1/transfers/t-3").status()).isEqualTo(404);

        // the re-sourced command side still counts alice's 40.00 hold: 30.00 available, not 70.00
        LedgerClient.Response tooMuch = t.transfer("k-7", "t-7", "alice", "bob", "30.01", EUR);
        assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(422);
        assertThat(tooMuch.code()).isEqualTo("insufficient_funds");

        // the long hold is posted in part after the restart; the rest of the reservation is released
        LedgerClient.Response posted = t.post("/v1/transfers/p-long/post", "k-8", "{\"amount\":\"25.00\"}");
        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        assertThat(posted.json().get("status").asText()).isEqualTo("POSTED");
        assertThat(posted.json().get("postedAmount").asText()).isEqualTo("25.00");
        assertReplay(t.post("/v1/transfers/p-long/post", "k-8", "{\"amount\":\"25.00\"}"), posted);
        t.awaitTransfer("p-long", v -> v.get("status").asText().equals("POSTED")
                && "25.00".equals(v.path("postedAmount").asText()));
        t.awaitAccount("alice", a -> a.get("debitsPosted").asText().equals("55.00")
                && a.get("debitsPending").asText().equals("0.00") && a.get("balance").asText().equals("45.00")
                && a.get("available").asText().equals("45.00"));
        t.awaitAccount("merchant", a -> a.get("creditsPosted").asText().equals("25.00")
                && a.get("creditsPending").asText().equals("0.00") && a.get("balance").asText().equals("25.00"));

        // and the command side agrees: alice has exactly 45.00, bob exactly 30.00 + 45.00 (no stale 10.00 hold)
        LedgerClient.Response alice4501 = t.transfer("k-9", "t-9", "alice", "bob", "45.01", EUR);
        assertThat(alice4501.status()).as(alice4501.toString()).isEqualTo(422);
        LedgerClient.Response alice4500 = t.transfer("k-10", "t-10", "alice", "bob", "45.00", EUR);
        assertThat(alice4500.status()).as(alice4500.toString()).isEqualTo(201);
        LedgerClient.Response bob7500 = t.transfer("k-11", "t-11", "bob", "merchant", "75.00", EUR);
        assertThat(bob7500.status()).as(bob7500.toString()).isEqualTo(201);
        LedgerClient.Response bankMarker = t.transfer("k-12", "t-12", "bank", "merchant", "1.00", EUR);
        assertThat(bankMarker.status()).as(bankMarker.toString()).isEqualTo(201);

        t.awaitAccount("alice", a -> a.get("balance").asText().equals("0.00"));
        t.awaitAccount("bob", a -> a.get("balance").asText().equals("0.00"));
        t.awaitAccount("merchant", a -> a.get("balance").asText().equals("101.00"));
        t.awaitAccount("bank", a -> a.get("balance").asText().equals("101.00"));

        // statements: the old lines unchanged, then exactly the new movements (replays added none)
        Map<String, List<String>> newLines = Map.of(
                "bank", List.of("t-12:posted"),
                "alice", List.of("p-long:pending_posted", "t-10:posted"),
                "bob", List.of("p-short:expired", "t-10:posted", "t-11:posted"),
                "merchant", List.of("p-short:expired", "p-long:pending_posted", "t-11:posted", "t-12:posted"));
        for (String account : statementsBefore.keySet()) {
            List<Line> after = Ledgers.statement(t, account, 3);
            List<Line> before = statementsBefore.get(account);
            assertThat(after.subList(0, Math.min(before.size(), after.size()))).as("old lines of %s", account)
                    .isEqualTo(before);
            assertThat(after.subList(before.size(), after.size()).stream()
                    .map(l -> l.transferId() + ":" + l.type()).toList())
                    .as("new lines of %s", account).containsExactlyElementsOf(newLines.get(account));
            for (Line line : after) {
                if (!account.equals("bank")) {
                    assertThat(line.available()).as("%s never below zero", account).isNotNegative();
                }
            }
        }
        JsonNode trial = trialBalance(t);
        assertThat(trial.get("totals").get(0).get("balanced").asBoolean()).isTrue();
        long sum = 0;
        for (JsonNode line : trial.get("accounts")) {
            sum += minor(line.get("debits").asText()) - minor(line.get("credits").asText());
        }
        assertThat(sum).isZero();

        // hash chains: every event of the tenant re-hashes to its stored hash, and each aggregate's chain
        // runs on unbroken across the restart
        Map<String, List<StoredRow>> chains = events(running, tenant);
        assertThat(chains.keySet()).containsExactlyInAnyOrder(
                tenant + "/account/bank", tenant + "/account/alice", tenant + "/account/bob",
                tenant + "/account/merchant", tenant + "/transfer/t-1", tenant + "/transfer/t-2",
                tenant + "/transfer/p-long", tenant + "/transfer/p-short", tenant + "/transfer/t-10",
                tenant + "/transfer/t-11", tenant + "/transfer/t-12");
        chains.forEach(RestartIT::verifyChain);
        assertThat(chains.get(tenant + "/transfer/t-1")).as("t-1 was never changed by replays or reuse").hasSize(1);
        assertThat(chains.get(tenant + "/account/alice")).as("money moves in transfer events, not account events")
                .extracting(StoredRow::eventType).containsExactly("ledger.AccountOpened");
        assertThat(chains.get(tenant + "/transfer/p-long")).extracting(StoredRow::eventType)
                .startsWith("ledger.TransferPending");
        StoredRow expiry = chains.get(tenant + "/transfer/p-short").get(1);
        assertThat(expiry.eventType()).isEqualTo("ledger.PendingTransferExpired");
        assertThat(expiry.metaData().get("actor").asText()).as("an expiry is done by the ledger itself")
                .startsWith("system");
        assertThat(Instant.parse(expiry.metaData().get("occurredAt").asText())).as("expired after the restart")
                .isAfter(downAt);
    }

    // ---------------- the application ----------------

    private ConfigurableApplicationContext start() {
        // as command-line arguments: SpringApplicationBuilder.properties(..) are defaults, which
        // application.yml (server.port 8080, ledger.data-dir "data") would override
        return started(new SpringApplicationBuilder(LedgerApplication.class)
                .properties("axoniq.update-checker.disabled=true")
                .run("--server.port=0",
                        "--ledger.grpc.port=0",
                        "--ledger.data-dir=" + dataDir,
                        "--ledger.bootstrap.tenant=" + ROOT_TENANT,
                        "--ledger.bootstrap.api-key=" + ROOT_KEY,
                        "--axoniq.update-checker.disabled=true"));
    }

    private ConfigurableApplicationContext started(ConfigurableApplicationContext context) {
        Path used = context.getBean(LedgerProperties.class).dataDir().toAbsolutePath();
        assertThat(used).as("the data directory in use").isEqualTo(dataDir.toAbsolutePath());
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    // ---------------- requests ----------------

    private static LedgerClient.Response pending(LedgerClient t, String key, String id, String debit, String credit,
                                                 String amount, long timeoutSeconds) {
        return t.post("/v1/transfers", key, "{\"id\":\"" + id + "\",\"debitAccount\":\"" + debit
                + "\",\"creditAccount\":\"" + credit + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + EUR
                + "\",\"pending\":true,\"timeoutSeconds\":" + timeoutSeconds + "}");
    }

    private static void assertReplay(LedgerClient.Response replay, LedgerClient.Response original) {
        assertThat(replay.status()).as("replayed status of %s", original).isEqualTo(original.status());
        assertThat(replay.body()).as("replayed body").isEqualTo(original.body());
        assertThat(replay.header("Idempotent-Replayed")).as("replay header on %s", replay).isEqualTo("true");
    }

    private static JsonNode trialBalance(LedgerClient t) {
        LedgerClient.Response r = t.get("/v1/reports/trial-balance");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    // ---------------- the event store, read directly ----------------

    private record StoredRow(String aggregateId, long seq, String type, String eventId, String eventType,
                             JsonNode payload, JsonNode metaData) {
    }

    private static Map<String, List<StoredRow>> events(ConfigurableApplicationContext context, String tenant)
            throws SQLException, IOException {
        Map<String, List<StoredRow>> chains = new LinkedHashMap<>();
        DataSource dataSource = context.getBean(DataSource.class);
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT aggregate_identifier, sequence_number, type, "
                     + "event_identifier, payload_type, payload, meta_data FROM domain_event_entry "
                     + "WHERE aggregate_identifier LIKE ? ORDER BY aggregate_identifier, sequence_number")) {
            q.setString(1, tenant + "/%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    JsonNode meta = JSON.readTree(new String(rs.getBytes("meta_data"), StandardCharsets.UTF_8));
                    StoredRow row = new StoredRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            meta.path("eventType").asText(null),
                            JSON.readTree(new String(rs.getBytes("payload"), StandardCharsets.UTF_8)), meta);
                    chains.computeIfAbsent(row.aggregateId(), k -> new ArrayList<>()).add(row);
                }
            }
        }
        return chains;
    }

    private static void verifyChain(String aggregateId, List<StoredRow> rows) {
        String previousHash = Envelope.ZERO_HASH;
        for (int i = 0; i < rows.size(); i++) {
            StoredRow row = rows.get(i);
            JsonNode m = row.metaData();
            assertThat(row.seq()).as("%s seq dense", aggregateId).isEqualTo(i);
            assertThat(m.path("prevHash").asText()).as("%s#%d prevHash", aggregateId, i).isEqualTo(previousHash);
            assertThat(row.eventId()).as("%s#%d event id", aggregateId, i).isEqualTo(m.path("eventId").asText());
            Envelope envelope = new Envelope(m.path("tenant").asText(), row.type(), aggregateId, row.seq(),
                    row.eventId(), row.eventType(), m.path("occurredAt").asText(),
                    Map.of("actor", m.path("actor").asText(), "correlationId", m.path("correlationId").asText()),
                    row.payload(), previousHash);
            assertThat(m.path("hash").asText()).as("%s#%d stored hash = recomputed hash", aggregateId, i)
                    .isEqualTo(envelope.hash());
            previousHash = envelope.hash();
        }
    }
}
