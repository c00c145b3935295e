package ledger.api.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import ledger.api.LedgerApplication;

/**
 * The service as a separate process (its own JVM, started from this test's class path), as an
 * operator runs it: so a test can kill it with SIGKILL, with or without its embedded PostgreSQL,
 * or stop it with SIGTERM, and start it again on the same data directory.
 */
public final class ServiceProcess {
    public static final String OPERATOR_TENANT = "proc-root";
    public static final String OPERATOR_KEY = "proc-root-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dataDir;
    private final int httpPort;
    private final int grpcPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(Path dataDir, int httpPort, int grpcPort, Process process, Path log) {
        this.dataDir = dataDir;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.process = process;
        this.log = log;
    }

    /** Free ports for a service: HTTP and gRPC. */
    public static int[] freePorts() {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the service on {@code dataDir} and waits until it answers its health check. */
    public static ServiceProcess start(Path dataDir, int httpPort, int grpcPort, String... extraArguments) {
        try {
            Files.createDirectories(dataDir);
            Path log = Files.createTempFile(dataDir.getParent(), "service-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), LedgerApplication.class.getName(),
                    "--server.port=" + httpPort, "--ledger.grpc.port=" + grpcPort,
                    "--ledger.data-dir=" + dataDir.toAbsolutePath(),
                    "--ledger.bootstrap.tenant=" + OPERATOR_TENANT, "--ledger.bootstrap.api-key=" + OPERATOR_KEY,
                    "--ledger.audit.checkpoint-interval=2s"));
            command.addAll(List.of(extraArguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(dataDir, httpPort, grpcPort, process, log);
            service.awaitHealthy(Duration.ofSeconds(180));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitHealthy(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; log " + log
                        + ":\n" + tail());
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the service did not become healthy within " + within + "; log " + log
                + ":\n" + tail());
    }

    /** SIGKILL to the JVM alone: its embedded PostgreSQL is left to the watchdog and the next start. */
    public void killJvm() {
        process.destroyForcibly();
        waitExit(Duration.ofSeconds(30));
    }

    /** SIGKILL to the JVM, its PostgreSQL's postmaster and the watchdog at once: a crash of the machine's processes. */
    public void killJvmAndPostgres() {
        OptionalLong postmaster = postmasterPid();
        List<ProcessHandle> watchdogs = process.toHandle().children().toList();
        process.destroyForcibly();
        postmaster.ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        waitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: a graceful stop; returns the exit status. */
    public int terminate(Duration within) {
        process.destroy();
        waitExit(within);
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public OptionalLong postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private void waitExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("the service did not exit within " + within);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Sends again when a pooled connection still pointed at a service that is gone (at most 5 tries). */
    public static ledger.api.LedgerClient.Response retrying(
            java.util.function.Supplier<ledger.api.LedgerClient.Response> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (UncheckedIOException e) {
                if (attempt >= 5) {
                    throw e;
                }
                sleep(200);
            }
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
