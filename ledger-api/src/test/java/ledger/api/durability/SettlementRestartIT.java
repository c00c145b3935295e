package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import ledger.api.FxRatesFile;
import ledger.api.LedgerApplication;
import ledger.api.LedgerClient;
import ledger.api.TestFiles;
import ledger.api.settlement.SettlementConfig;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Settlements survive a restart (docs/settlement.md, "Restarts"): the service is stopped with a
 * settlement accepted but its saga not yet run (the saga's processor is stopped first, so "mid-way"
 * is a known point, not a race), and the next start finishes it from the saga store, the event
 * store's token and the deadline table; one whose deadline passed during the downtime fails
 * without posting. Balances are checked exactly.
 */
class SettlementRestartIT {
    private static final String ROOT_TENANT = "settle-restart-root";
    private static final String ROOT_KEY = "settle-restart-root-key-0123456789";

    private final Path dataDir = Path.of("target", "settle-restart-it-" + UUID.randomUUID().toString().substring(0, 8));
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
    void aSettlementInterruptedByARestartFinishesOrFailsAfterIt() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("fx-rates.csv"), FxRatesFile.RATES);

        // ---------------- first life: accepted, then the service stops before its saga runs ----------------
        running = start("60s");
        LedgerClient t = book("sr-");
        stopSagas(running);
        LedgerClient.Response accepted = settle(t, "sr-1", "100.00");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        assertThat(status(t, "sr-1")).isEqualTo("PENDING");
        running.close();

        // ---------------- second life: it completes; a short-deadline one is accepted, then the service stops ----------------
        running = start("2s");
        t = new LedgerClient(port(running), t.apiKey());
        JsonNode done = awaitFinished(t, "sr-1");
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(steps(done)).containsExactly("ACCEPTED", "RESERVED", "DESTINATION_POSTED", "RESERVATION_POSTED",
                "COMPLETED");
        assertBalance(t, "alice", "900.00", "900.00");
        assertBalance(t, "bob", "15410", "15410");
        assertBalance(t, "fx.position.JPY", "15420", "15420");
        assertBalance(t, "fx.revenue.JPY", "10", "10");

        stopSagas(running);
        LedgerClient.Response late = settle(t, "sr-2", "50.00");
        assertThat(late.status()).as(late.toString()).isEqualTo(202);
        Instant deadline = Instant.parse(late.json().get("deadline").asText());
        running.close();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }

        // ---------------- third life: its deadline passed while the service was down ----------------
        running = start("60s");
        t = new LedgerClient(port(running), t.apiKey());
        JsonNode failed = awaitFinished(t, "sr-2");
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(failed.get("reasonCode").asText()).isEqualTo("settlement_timed_out");
        assertBalance(t, "alice", "900.00", "900.00");
        assertBalance(t, "bob", "15410", "15410");
    }

    /**
     * With {@code LEDGER_SETTLEMENT_QUOTE_EXPIRY=requote}, a settlement whose quote expired before
     * its destination side (its saga stopped meanwhile) is priced again on a new quote and completes
     * (docs/settlement.md, "Re-quote").
     */
    @Test
    void anExpiredQuoteIsReQuotedWhenTheServiceReQuotes() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("fx-rates.csv"), FxRatesFile.RATES);
        running = start("60s", "--LEDGER_FX_QUOTE_TTL=1s", "--LEDGER_SETTLEMENT_QUOTE_EXPIRY=requote");
        LedgerClient t = book("rq-");
        EventProcessor sagas = running.getBean(Configuration.class).eventProcessingConfiguration()
                .eventProcessor(SettlementConfig.SAGA_PROCESSOR).orElseThrow();
        sagas.shutDown();
        LedgerClient.Response accepted = settle(t, "rq-1", "100.00");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String firstQuote = accepted.json().get("quote").get("id").asText();
        Instant expiry = Instant.parse(accepted.json().get("quote").get("expiresAt").asText());
        while (!Instant.now().isAfter(expiry)) {
            Thread.sleep(50);
        }
        sagas.start();

        JsonNode done = awaitFinished(t, "rq-1");
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        // the reservation is judged at the settlement's acceptance (its quote was valid then), the destination
        // side when the reservation is recorded, after the expiry: re-quoted there
        assertThat(steps(done)).containsExactly("ACCEPTED", "RESERVED", "REQUOTED", "DESTINATION_POSTED",
                "RESERVATION_POSTED", "COMPLETED");
        assertThat(done.get("quote").get("id").asText()).isNotEqualTo(firstQuote);
        assertThat(Instant.parse(done.get("quote").get("obtainedAt").asText())).isAfter(expiry);
        assertBalance(t, "alice", "900.00", "900.00");
        assertBalance(t, "bob", "15410", "15410"); // the rates file's rate has not changed
    }

    // ---------------- helpers ----------------

    /** A new tenant with alice (1,000.00 USD), bob (JPY) and the cash account that funded alice. */
    private LedgerClient book(String prefix) {
        LedgerClient t = new LedgerClient(port(running), ROOT_KEY)
                .createTenant(prefix + Long.toHexString(System.nanoTime()));
        assertThat(t.openAccount("cash", "USD", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(t.openAccount("alice", "USD", "LIABILITY", null).status()).isEqualTo(201);
        assertThat(t.openAccount("bob", "JPY", "LIABILITY", null).status()).isEqualTo(201);
        assertThat(t.transfer("k-fund", "fund", "cash", "alice", "1000.00", "USD").status()).isEqualTo(201);
        return t;
    }

    private static LedgerClient.Response settle(LedgerClient t, String id, String amount) {
        return t.post("/v1/settlements", "k-" + id, "{\"id\":\"" + id + "\",\"sourceAccount\":\"alice\","
                + "\"destinationAccount\":\"bob\",\"sourceAmount\":\"" + amount + "\"}");
    }

    private static String status(LedgerClient t, String id) {
        return t.get("/v1/settlements/" + id).json().get("status").asText();
    }

    private static JsonNode awaitFinished(LedgerClient t, String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            LedgerClient.Response r = t.get("/v1/settlements/" + id);
            if (r.status() == 200) {
                last = r.json();
                if (!"PENDING".equals(last.get("status").asText())) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("settlement " + id + " still pending after the restart: " + last);
    }

    private static List<String> steps(JsonNode settlement) {
        List<String> steps = new ArrayList<>();
        settlement.get("steps").forEach(s -> steps.add(s.get("step").asText()));
        return steps;
    }

    private static void assertBalance(LedgerClient t, String id, String balance, String available) {
        JsonNode account = t.account(id).json();
        assertThat(account.get("balance").asText()).as("balance of %s", id).isEqualTo(balance);
        assertThat(account.get("available").asText()).as("available of %s", id).isEqualTo(available);
    }

    /** Stops the saga's event processor, so accepted settlements wait for the next start. */
    private static void stopSagas(ConfigurableApplicationContext context) {
        EventProcessor processor = context.getBean(Configuration.class).eventProcessingConfiguration()
                .eventProcessor(SettlementConfig.SAGA_PROCESSOR).orElseThrow();
        processor.shutDown();
    }

    private ConfigurableApplicationContext start(String settlementTimeout, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--ledger.grpc.port=0",
                "--ledger.data-dir=" + dataDir,
                "--ledger.bootstrap.tenant=" + ROOT_TENANT,
                "--ledger.bootstrap.api-key=" + ROOT_KEY,
                "--LEDGER_SETTLEMENT_TIMEOUT=" + settlementTimeout,
                "--axoniq.update-checker.disabled=true"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(LedgerApplication.class)
                .properties("axoniq.update-checker.disabled=true")
                .run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
