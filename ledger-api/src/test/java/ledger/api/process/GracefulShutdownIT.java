package ledger.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import ledger.api.LedgerClient;
import ledger.api.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load: the service stops taking requests, answers the ones in flight (each answer
 * it gave is kept: nothing acknowledged is lost, nothing is half-done), exits, and its embedded
 * PostgreSQL stops with it (cleanly: no recovery at the next start).
 */
class GracefulShutdownIT {
    private final Path root = Path.of("target", "shutdown-" + UUID.randomUUID().toString().substring(0, 8));
    private ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null && service.isAlive()) {
            service.terminate(Duration.ofSeconds(60)); // stops its PostgreSQL too, before the files go
        }
        if (!Boolean.getBoolean("fault.keep")) { // -Dfault.keep=true keeps the data and the service logs
            TestFiles.deleteRecursively(root);
        }
    }

    @Test
    void sigtermAnswersWhatIsInFlightThenStopsPostgres() throws Exception {
        Path dataDir = root.resolve("data");
        int[] ports = ServiceProcess.freePorts();
        service = ServiceProcess.start(dataDir, ports[0], ports[1]);
        LedgerClient c = new LedgerClient(ports[0], ServiceProcess.OPERATOR_KEY).createTenant("shutdown");
        assertThat(c.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(c.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);

        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, Long> unanswered = new ConcurrentHashMap<>();
        Map<String, String> why = new ConcurrentHashMap<>(); // what an unanswered request got instead
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong next = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    long n = next.incrementAndGet();
                    String id = "s-" + n;
                    try {
                        LedgerClient.Response r = transfer(c, id, n);
                        if (r.status() == 201) {
                            acknowledged.put(id, n);
                        } else if (r.status() == 503) {
                            unanswered.put(id, n); // refused while stopping: nothing was done for it
                            why.put(id, r.toString());
                        } else {
                            wrong.add(id + ": " + r);
                        }
                    } catch (UncheckedIOException | IllegalStateException refused) {
                        unanswered.put(id, n); // the connection was closed or refused: not taken
                        why.put(id, refused.toString());
                        ServiceProcess.sleep(50);
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        Thread.sleep(1_500);
        OptionalLong postmaster = service.postmasterPid();
        assertThat(postmaster).isPresent();
        int exit = service.terminate(Duration.ofSeconds(60));
        running.set(false);
        for (Thread client : clients) {
            client.join(60_000);
        }

        System.out.printf("graceful shutdown: acknowledged %d, refused or cut off while stopping %d%n",
                acknowledged.size(), unanswered.size());
        assertThat(exit).as("exit status after SIGTERM").isIn(0, 143);
        // stopped as the JVM's last step: its process may take a moment to be reaped after the JVM's exit
        long reaped = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(postmaster.getAsLong()).map(ProcessHandle::isAlive).orElse(false)
                && System.nanoTime() < reaped) {
            ServiceProcess.sleep(50);
        }
        assertThat(ProcessHandle.of(postmaster.getAsLong()).map(ProcessHandle::isAlive)).as("PostgreSQL stopped too")
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(service.postmasterPid()).as("it removed its postmaster.pid: a clean stop").isEmpty();
        String log = Files.readString(service.log());
        assertThat(log).contains("Graceful shutdown complete");
        assertThat(log).as("PostgreSQL stopped only after the requests in flight were answered")
                .doesNotContain("terminating connection due to administrator command");
        assertThat(log.indexOf("server stopped")).as("PostgreSQL stopped after the HTTP server")
                .isGreaterThan(log.indexOf("Graceful shutdown complete"));
        assertThat(wrong).isEmpty();
        assertThat(acknowledged).isNotEmpty();

        service = ServiceProcess.start(dataDir, ports[0], ports[1]);
        assertThat(Files.readString(service.log())).as("a clean stop needs no recovery")
                .doesNotContain("database system was not properly shut down");
        long expected = 0;
        for (Map.Entry<String, Long> sent : acknowledged.entrySet()) {
            assertThat(ServiceProcess.retrying(() -> c.get("/v1/transfers/" + sent.getKey())).status()).isEqualTo(200);
            expected += cents(sent.getValue());
        }
        for (Map.Entry<String, Long> sent : unanswered.entrySet()) {
            // what the stopping service took, it answered: a request left without a 201 was not applied
            assertThat(ServiceProcess.retrying(() -> c.get("/v1/transfers/" + sent.getKey())).status())
                    .as("%s, not answered 201 while the service stopped (%s), was not applied", sent.getKey(),
                            why.get(sent.getKey()))
                    .isEqualTo(404);
            LedgerClient.Response again = ServiceProcess.retrying(() -> transfer(c, sent.getKey(), sent.getValue()));
            assertThat(again.status()).as(again.toString()).isEqualTo(201);
            expected += cents(sent.getValue());
        }
        LedgerClient.Response wallet = ServiceProcess.retrying(() -> c.account("wallet"));
        assertThat(new BigDecimal(wallet.json().get("creditsPosted").asText()))
                .isEqualByComparingTo(BigDecimal.valueOf(expected, 2));
    }

    private static long cents(long n) {
        return 1 + n % 97;
    }

    private static LedgerClient.Response transfer(LedgerClient c, String id, long n) {
        return c.transfer("key-" + id, id, "cash", "wallet", BigDecimal.valueOf(cents(n), 2).toPlainString(), "EUR");
    }


}
