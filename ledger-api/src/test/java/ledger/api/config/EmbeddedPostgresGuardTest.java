package ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL left running by a service that was killed is taken over, never in the way of the next
 * start; a stale lock file is removed; two services never share a data directory; and the watchdog
 * stops the PostgreSQL once its service is gone. Real PostgreSQL processes, started here.
 */
class EmbeddedPostgresGuardTest {
    @TempDir
    Path dataDir;
    private Path pgData;

    @BeforeEach
    void linuxOnly() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "the process checks read /proc (Linux)");
        pgData = dataDir.resolve("postgres");
    }

    @Test
    void aPostgresLeftRunningIsStoppedCleanlyAndItsDataKept() throws Exception {
        // a JVM of its own starts a PostgreSQL, writes a row and is killed (SIGKILL), as a service can be
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Orphan.class.getName(), pgData.toString(),
                dataDir.resolve("pg-binaries").toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(Orphan.READY)) {
                // PostgreSQL's start-up output
            }
            assertThat(line).as("the service JVM started its PostgreSQL").isEqualTo(Orphan.READY);
            service.destroyForcibly().waitFor();
        }
        long pid = EmbeddedPostgresGuard.postmasterPid(pgData.resolve("postmaster.pid")).orElseThrow();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("its PostgreSQL outlived it")
                .isEqualTo(Optional.of(true));
        assertThat(EmbeddedPostgresGuard.isPostgresOf(pid, pgData)).isTrue();

        try (EmbeddedPostgresGuard guard = EmbeddedPostgresGuard.claim(dataDir)) {
            guard.takeOver(pgData);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(pgData.resolve("postmaster.pid")).as("a clean shutdown removes its lock file").doesNotExist();
            try (EmbeddedPostgres next = start(); Connection c = next.getPostgresDatabase().getConnection();
                 Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(42);
            }
        }
    }

    /** A stand-in for a service: starts PostgreSQL on args[0], writes a row, says so and waits to be killed. */
    public static final class Orphan {
        static final String READY = "orphan-ready";

        public static void main(String[] args) throws Exception {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(Path.of(args[0]))
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(Path.of(args[1]).toFile())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aLockFileOfAProcessThatIsNotItsPostgresIsRemoved() throws Exception {
        Files.createDirectories(pgData);
        // a live process, but not a PostgreSQL of this directory (a pid reused after a crash)
        Files.writeString(pgData.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pgData + "\n",
                StandardCharsets.US_ASCII);
        try (EmbeddedPostgresGuard guard = EmbeddedPostgresGuard.claim(dataDir)) {
            guard.takeOver(pgData);
        }
        assertThat(pgData.resolve("postmaster.pid")).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).as("and nothing else was signalled").isTrue();
    }

    @Test
    void noLockFileMeansNothingToDo() {
        try (EmbeddedPostgresGuard guard = EmbeddedPostgresGuard.claim(dataDir)) {
            guard.takeOver(pgData);
        }
        assertThat(EmbeddedPostgresGuard.postmasterPid(pgData.resolve("postmaster.pid")))
                .isEqualTo(OptionalLong.empty());
    }

    @Test
    void aSecondServiceOnOneDataDirectoryIsRefusedUntilTheFirstEnds() {
        try (EmbeddedPostgresGuard first = EmbeddedPostgresGuard.claim(dataDir)) {
            assertThatThrownBy(() -> EmbeddedPostgresGuard.claim(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another ledger service is running with the data directory");
        }
        EmbeddedPostgresGuard.claim(dataDir).close();
    }

    @Test
    void theWatchdogStopsPostgresOnceItsOwnerIsGone() throws Exception {
        EmbeddedPostgres postgres = start();
        long pid = EmbeddedPostgresGuard.postmasterPid(pgData.resolve("postmaster.pid")).orElseThrow();
        Process owner = new ProcessBuilder("sleep", "600").start(); // stands for the service's JVM
        Optional<Process> watchdog = EmbeddedPostgresGuard.watch(owner.pid(), pgData);
        assertThat(watchdog).isPresent();
        try {
            Thread.sleep(1_500);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("alive while its owner is")
                    .isEqualTo(Optional.of(true));
            owner.destroyForcibly().waitFor();
            assertThat(watchdog.get().waitFor(30, TimeUnit.SECONDS)).as("the watchdog ends").isTrue();
            ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (handle != null && handle.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(handle == null || !handle.isAlive()).as("PostgreSQL stopped after its owner died").isTrue();
        } finally {
            owner.destroyForcibly();
            watchdog.ifPresent(Process::destroyForcibly);
            try {
                postgres.close();
            } catch (Exception alreadyStopped) {
                // the watchdog stopped it: what the test wants
            }
        }
    }

    private EmbeddedPostgres start() throws Exception {
        return EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(dataDir.resolve("pg-binaries").toFile())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }
}
