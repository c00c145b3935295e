package ledger.api.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL tied to the service that started it, so that a service killed
 * without warning (SIGKILL, the OOM killer, an orchestrator) comes back with its usual start command:
 *
 * <ol>
 *   <li>{@link #claim}: one service per data directory, by an OS file lock on {@code service.lock}
 *       (the kernel releases it however the JVM ends, so a killed service never blocks the next);</li>
 *   <li>{@link #takeOver}: a PostgreSQL still running on the data directory, left by a service that
 *       died, is shut down cleanly (fast shutdown: SIGINT) before the new one starts; a stale
 *       {@code postmaster.pid} whose process is gone or is not a PostgreSQL of this directory is
 *       removed (PostgreSQL's own crash recovery then replays its WAL);</li>
 *   <li>{@link #watch}: a small watchdog process outlives the JVM by at most a second and shuts the
 *       PostgreSQL down once the JVM is gone, so it does not outlive the service at all.</li>
 * </ol>
 * Linux only for the process checks ({@code /proc}); elsewhere only the lock and PostgreSQL's own
 * stale-lock handling apply.
 */
public final class EmbeddedPostgresGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresGuard.class);
    static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final FileChannel channel;
    private final FileLock lock;

    private EmbeddedPostgresGuard(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims {@code dataDir} for this JVM.
     *
     * @throws IllegalStateException when another live service holds it
     */
    public static EmbeddedPostgresGuard claim(Path dataDir) {
        Path file = dataDir.resolve("service.lock");
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException held) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another ledger service is running with the data directory " + dataDir
                        + " (it holds " + file + "); stop it, or give this one another LEDGER_DATA_DIR");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            return new EmbeddedPostgresGuard(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /**
     * Makes {@code pgData} ready for a new PostgreSQL: stops one left running there by a dead
     * service and removes a stale lock file. Call only while holding {@link #claim}.
     */
    public void takeOver(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        OptionalLong recorded = postmasterPid(pidFile);
        if (recorded.isEmpty()) {
            return;
        }
        long pid = recorded.getAsLong();
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent() && isPostgresOf(pid, pgData)) {
            LOG.warn("a PostgreSQL (pid {}) is still running on {}, left by a service that ended without stopping it;"
                    + " shutting it down (fast shutdown) before starting again", pid, pgData);
            signal(pid, "INT");
            if (!waitGone(process.get(), STOP_WAIT)) {
                LOG.warn("PostgreSQL pid {} did not stop within {} s; stopping it at once (immediate shutdown,"
                        + " recovered from its WAL at the next start)", pid, STOP_WAIT.toSeconds());
                signal(pid, "QUIT");
                if (!waitGone(process.get(), STOP_WAIT)) {
                    throw new IllegalStateException("PostgreSQL pid " + pid + " on " + pgData + " does not stop;"
                            + " stop it by hand (kill -INT " + pid + ")");
                }
            }
            LOG.info("the PostgreSQL left running on {} has stopped", pgData);
            return;
        }
        // The recorded process is gone or is something else (its pid reused): the lock file is stale.
        try {
            if (Files.deleteIfExists(pidFile)) {
                LOG.warn("removed the stale {} of PostgreSQL pid {}, which no longer runs; PostgreSQL recovers from"
                        + " its WAL as after any crash", pidFile, pid);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale " + pidFile, e);
        }
    }

    /**
     * Starts the watchdog that shuts the PostgreSQL recorded in {@code pgData} down once this JVM is
     * gone (checked every second). It ends by itself right after.
     */
    public void watch(Path pgData) {
        watch(ProcessHandle.current().pid(), pgData);
    }

    /** {@link #watch(Path)} for another process than this JVM (tests). */
    static Optional<Process> watch(long ownerPid, Path pgData) {
        OptionalLong postmaster = postmasterPid(pgData.resolve("postmaster.pid"));
        if (postmaster.isEmpty() || !Files.isDirectory(Path.of("/proc"))) {
            LOG.info("no watchdog for the embedded PostgreSQL (no postmaster.pid or no /proc here): it stops with"
                    + " the service's normal shutdown only");
            return Optional.empty();
        }
        // sh and its kill builtin only; the postmaster is signalled only while it still is the one of pgData
        String script = "owner=$1 pm=$2 marker=$3\n"
                + "while kill -0 \"$owner\" 2>/dev/null; do sleep 1; done\n"
                + "if tr '\\0' '\\n' < \"/proc/$pm/cmdline\" 2>/dev/null | grep -qxF -- \"$marker\"; then\n"
                + "  kill -INT \"$pm\"\n"
                + "fi\n";
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script, "ledger-pg-watchdog", Long.toString(ownerPid),
                Long.toString(postmaster.getAsLong()), pgData.toAbsolutePath().toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            return Optional.of(builder.start());
        } catch (IOException e) {
            LOG.warn("cannot start the embedded PostgreSQL's watchdog ({}): if this JVM is killed, the next start"
                    + " stops the PostgreSQL it leaves", e.toString());
            return Optional.empty();
        }
    }

    /** Releases the data directory (after the PostgreSQL stopped). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.debug("could not release the data directory's lock", e);
        }
    }

    // ---------------------------------------------------------------- processes

    /** The postmaster's pid from the first line of {@code postmaster.pid}, if there is one. */
    static OptionalLong postmasterPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.isEmpty()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.abs(Long.parseLong(lines.get(0).trim())));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.warn("unreadable {} ({}): treated as stale", pidFile, e.toString());
            return OptionalLong.of(-1);
        }
    }

    /** Whether {@code pid} runs PostgreSQL on {@code pgData}: its command line has {@code -D <pgData>}. */
    static boolean isPostgresOf(long pid, Path pgData) {
        if (pid <= 0) {
            return false;
        }
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> arguments = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
            int d = arguments.indexOf("-D");
            return d >= 0 && d + 1 < arguments.size()
                    && Path.of(arguments.get(d + 1)).toAbsolutePath().normalize()
                    .equals(pgData.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false; // gone meanwhile, or no /proc: not one we may stop
        }
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            if (kill.waitFor() == 0) {
                return;
            }
            LOG.warn("kill -s {} {} failed: {}", signal, pid, new String(kill.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            LOG.warn("cannot run kill ({}); asking PostgreSQL pid {} to stop with SIGTERM", e.toString(), pid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: PostgreSQL's smart shutdown
    }

    private static boolean waitGone(ProcessHandle process, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return true;
    }
}
