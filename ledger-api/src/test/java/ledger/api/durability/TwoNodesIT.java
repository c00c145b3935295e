package ledger.api.durability;

import static ledger.api.durability.Ledgers.amount;
import static ledger.api.durability.Ledgers.minor;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import ledger.api.LedgerApplication;
import ledger.api.LedgerClient;
import ledger.api.TestFiles;
import ledger.api.config.DataSourceConfig;
import ledger.api.config.LedgerProperties;
import ledger.api.durability.Ledgers.Line;
import ledger.audit.cli.AuditVerify;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes of the real service (two Spring application contexts, each with its own HTTP port) on
 * ONE PostgreSQL: node A runs the embedded PostgreSQL, node B connects to it with
 * {@code ledger.db.url}, and both sign audit checkpoints with node A's key. 8 clients post transfers
 * between 10 shared hot accounts through both nodes (a random node per request): posted transfers,
 * refusals (insufficient funds on no-overdraft wallets, and amounts no wallet can pay), the same
 * idempotency key and body sent at the same moment to both nodes (and re-sent later), sequential
 * re-sends to the other node, a key reused with another body on the other node, and pending
 * transfers posted (in full or in part) or voided on the node that did not create them, sometimes
 * by racing duplicates on both nodes or by a post and a void racing on the two nodes.
 *
 * <p>It requires: no 5xx (nor any unexpected answer) from either node; every key answered the same
 * on both nodes and every time; every acknowledged write visible at once on the other node
 * (read-your-writes across nodes: the transfer as answered, the accounts' posted totals at least
 * what was acknowledged so far); afterwards, every acknowledged transfer exactly once and nothing
 * refused (on both nodes' transfer reads, statements, trial balances and accounts, and in the event
 * store through the audit export), the books balanced, no wallet ever below zero, no refusal for
 * insufficient funds while every state the account can have had during the request could pay (a
 * refusal decided on a stale cached state writes nothing, so no version key finds it out), and the
 * tenant's audit export from either node verifying with the verifier CLI. If the load hangs, the
 * threads of both nodes and PostgreSQL's waits are printed.
 *
 * <p>Run once with {@code ledger.aggregate-cache-size=0} (the documented multi-node setting), then
 * with the default cache (stale cached states must be detected and retried). The number of
 * operations per client is {@code -Dledger.it.two-nodes.ops-per-thread} (default 40).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {
    private static final int THREADS = 8;
    /** Bounded so each run stays within about half a minute on 2 cores; raise it for a soak run. */
    private static final int OPS_PER_THREAD = Integer.getInteger("ledger.it.two-nodes.ops-per-thread", 40);
    private static final String ROOT_TENANT = "two-nodes-root";
    private static final String ROOT_KEY = "two-nodes-root-key-0123456789";
    private static final String EUR = "EUR";
    private static final String BANK = "bank";
    private static final List<String> WALLETS = List.of("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8");
    private static final long SEED = 500_00;
    /** More than any wallet can ever hold. */
    private static final long HUGE = 1_000_000_00;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSUFFICIENT =
            Pattern.compile("account (\\S+) has (-?[0-9.]+) (\\S+) available, ([0-9.]+) needed");
    /** One directory for the class: the second run restarts node A's PostgreSQL on the first run's data. */
    private static final Path ROOT = Path.of("target", "two-nodes-it-" + UUID.randomUUID().toString().substring(0, 8));

    static {
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    // ------------------------------------------------------------------ the two nodes

    private record Node(String name, ConfigurableApplicationContext context, LedgerClient admin) {
        int port() {
            return admin.port();
        }
    }

    private Node a;
    private Node b;
    private LogCapture logs;

    @AfterEach
    void stopNodes() {
        try {
            if (logs != null) {
                logs.detach();
            }
        } finally {
            try {
                if (b != null) {
                    b.context().close();
                }
            } finally {
                if (a != null) {
                    a.context().close();
                }
                a = null;
                b = null;
            }
        }
    }

    @AfterAll
    static void deleteData() {
        TestFiles.deleteRecursively(ROOT);
    }

    @Test
    @Order(1)
    void twoNodesWithoutAggregateCache() throws Exception {
        new Run("nocache", 0).execute();
    }

    @Test
    @Order(2)
    void twoNodesWithTheDefaultCache() throws Exception {
        new Run("cached", null).execute();
    }

    private void startNodes(Integer cacheSize) {
        Path dataA = ROOT.resolve("node-a");
        Path dataB = ROOT.resolve("node-b");
        List<String> common = new ArrayList<>(List.of("--server.port=0", "--ledger.grpc.port=0",
                "--axoniq.update-checker.disabled=true", "--ledger.audit.checkpoint-interval=2s"));
        if (cacheSize != null) {
            common.add("--ledger.aggregate-cache-size=" + cacheSize);
        }
        List<String> argsA = new ArrayList<>(common);
        argsA.addAll(List.of("--ledger.data-dir=" + dataA, "--ledger.bootstrap.tenant=" + ROOT_TENANT,
                "--ledger.bootstrap.api-key=" + ROOT_KEY));
        long t0 = System.nanoTime();
        ConfigurableApplicationContext contextA = run(argsA);
        a = new Node("A", contextA, new LedgerClient(port(contextA), ROOT_KEY));
        int pgPort = contextA.getBean(DataSourceConfig.EmbeddedServer.class).port();
        long t1 = System.nanoTime();

        Path keyFile = dataA.toAbsolutePath().resolve("keys").resolve("audit-ed25519.pem");
        assertThat(keyFile).as("node A's generated audit key").exists();
        List<String> argsB = new ArrayList<>(common);
        argsB.addAll(List.of("--ledger.data-dir=" + dataB,
                "--ledger.db.url=jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                "--ledger.db.user=postgres",
                "--ledger.audit.signing-key-file=" + keyFile));
        ConfigurableApplicationContext contextB = run(argsB);
        b = new Node("B", contextB, new LedgerClient(port(contextB), ROOT_KEY));
        assertThat(contextB.getBeanProvider(DataSourceConfig.EmbeddedServer.class).getIfAvailable())
                .as("node B embeds no PostgreSQL").isNull();
        assertThat(contextB.getBean(LedgerProperties.class).aggregateCacheSize())
                .isEqualTo(contextA.getBean(LedgerProperties.class).aggregateCacheSize());
        System.out.printf("TwoNodesIT: node A (HTTP %d, PostgreSQL %d) started in %d ms, node B (HTTP %d) in %d ms,"
                        + " aggregate cache size %d%n", a.port(), pgPort, (t1 - t0) / 1_000_000, b.port(),
                (System.nanoTime() - t1) / 1_000_000, contextA.getBean(LedgerProperties.class).aggregateCacheSize());
        // Spring Boot re-initialises logging on each start: capture only after both are up
        logs = LogCapture.attach();
    }

    private static ConfigurableApplicationContext run(List<String> args) {
        // command-line arguments: SpringApplicationBuilder.properties(..) are defaults that
        // application.yml would override (see RestartIT)
        return new SpringApplicationBuilder(LedgerApplication.class)
                .properties("axoniq.update-checker.disabled=true")
                .run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    // ------------------------------------------------------------------ requests and answers

    private enum Kind { CREATE, POST, VOID, PROBE }

    /** One idempotent request: its key, what it is for, and exactly what is sent. */
    private record Req(String key, Kind kind, String transferId, String path, String body, String debit,
                       String credit, long amount, boolean pending) {
    }

    private record Answer(String node, int status, String body, boolean replayed, long sentNanos, long answeredNanos) {
        boolean ok() {
            return status == 200 || status == 201;
        }

        String code() {
            try {
                return JSON.readTree(body).path("code").asText(null);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        JsonNode json() {
            return TwoNodesIT.json(body);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** One run: a new tenant on freshly started nodes, the load, then every check. */
    private final class Run {
        private final String label;
        private final Integer cacheSize;
        private final long seed = System.nanoTime();

        private final Map<String, Req> requests = new ConcurrentHashMap<>();
        private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
        private final Map<String, Answer> probes = new ConcurrentHashMap<>();
        /** transfer id -> the keys that created, posted and voided it */
        private final Map<String, List<String>> keysOfTransfer = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> staleReads = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> resendLater = new ConcurrentLinkedQueue<>();
        private final Set<String> applied = ConcurrentHashMap.newKeySet();
        /** Posted totals acknowledged so far: account -> {debits, credits}. */
        private final Map<String, AtomicLong[]> acked = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> requestsPerNode = new ConcurrentHashMap<>();
        private final AtomicInteger reads = new AtomicInteger();
        private final AtomicInteger races = new AtomicInteger();
        private final AtomicInteger postVoidRaces = new AtomicInteger();

        private LedgerClient onA;
        private LedgerClient onB;

        Run(String label, Integer cacheSize) {
            this.label = label;
            this.cacheSize = cacheSize;
            for (String account : accounts()) {
                acked.put(account, new AtomicLong[] {new AtomicLong(), new AtomicLong()});
            }
        }

        LedgerClient client(Node node) {
            return node == a ? onA : onB;
        }

        Node other(Node node) {
            return node == a ? b : a;
        }

        void execute() throws Exception {
            long started = System.nanoTime();
            startNodes(cacheSize);
            System.out.printf("TwoNodesIT[%s]: random seed %d, %d clients x %d operations%n", label, seed, THREADS,
                    OPS_PER_THREAD);
            LedgerClient root = new LedgerClient(a.port(), ROOT_KEY);
            onA = root.createTenant("two-" + label + "-" + Long.toHexString(System.nanoTime()));
            String tenant = onA.tenant();
            onB = new LedgerClient(b.port(), onA.apiKey());
            // the key created on A authenticates on B at once, and B sees the tenant (empty)
            LedgerClient.Response empty = onB.get("/v1/reports/trial-balance?currency=" + EUR);
            assertThat(empty.status()).as("tenant read on B: %s", empty).isEqualTo(200);

            // accounts opened alternately on both nodes; each visible on the other at once
            List<String> all = accounts();
            for (int i = 0; i < all.size(); i++) {
                Node on = i % 2 == 0 ? a : b;
                String id = all.get(i);
                LedgerClient.Response opened = client(on).openAccount(id, EUR, id.equals(BANK) ? "ASSET" : "LIABILITY",
                        id.equals(BANK) ? "unlimited" : null);
                assertThat(opened.status()).as("open %s on %s: %s", id, on.name(), opened).isEqualTo(201);
                LedgerClient.Response read = client(other(on)).account(id);
                assertThat(read.status()).as("account %s opened on %s, read on %s: %s", id, on.name(),
                        other(on).name(), read).isEqualTo(200);
            }
            // seeds: bank -> every wallet, through both nodes
            for (int i = 0; i < WALLETS.size(); i++) {
                Node on = i % 2 == 0 ? b : a;
                Req seedReq = create("seed-" + WALLETS.get(i), "seed-" + WALLETS.get(i), BANK, WALLETS.get(i), SEED,
                        false);
                Answer answer = send(on, seedReq);
                assertThat(answer.status()).as("seed %s: %s", WALLETS.get(i), answer.body()).isEqualTo(201);
                settle(seedReq, on);
            }
            long rollbacksBefore = rollbacks();

            long loadStart = System.nanoTime();
            loadWithin(Duration.ofSeconds(Integer.getInteger("ledger.it.two-nodes.load-timeout-seconds", 150)));
            long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;

            // re-sent later, to a random node: every one a replay of what was answered
            long resendStart = System.nanoTime();
            resend();
            long resendMillis = (System.nanoTime() - resendStart) / 1_000_000;
            Ledgers.sleep(1_100); // PostgreSQL's statistics are flushed about every second
            long rollbacks = rollbacks() - rollbacksBefore;

            int requestCount = answers.values().stream().mapToInt(List::size).sum() + probes.size();
            System.out.printf("TwoNodesIT[%s]: load %d ms, re-sends %d ms; %d keys, %d write requests (A %d, B %d), "
                            + "%d reads, %d same-key races, %d post/void races; %d transactions rolled back in "
                            + "PostgreSQL during the load; service log: %s%n",
                    label, loadMillis, resendMillis, requests.size(), requestCount,
                    requestsPerNode.getOrDefault("A", new AtomicInteger()).get(),
                    requestsPerNode.getOrDefault("B", new AtomicInteger()).get(), reads.get(), races.get(),
                    postVoidRaces.get(), rollbacks, logs.summary());

            // ---- answers: no 5xx, nothing unexpected, one answer per key ----
            serverErrors.forEach(e -> System.out.println("TwoNodesIT[" + label + "]: 5xx " + e));
            printHistories();
            unexpected.forEach(e -> System.out.println("TwoNodesIT[" + label + "]: unexpected " + e));
            staleReads.forEach(e -> System.out.println("TwoNodesIT[" + label + "]: read-your-writes " + e));
            logs.print(label);
            // every check runs (and says what it found) even when an earlier one failed
            List<AssertionError> failures = new ArrayList<>();
            soft(failures, () -> assertThat(serverErrors).as("5xx answers from either node").isEmpty());
            soft(failures, () -> assertThat(unexpected).as("unexpected answers (other codes, transport errors)")
                    .isEmpty());
            Outcome outcome = checkAnswers(failures);
            soft(failures, () -> assertThat(staleReads)
                    .as("reads on one node right after a write acknowledged by the other").isEmpty());

            // ---- the books, on both nodes ----
            long checkStart = System.nanoTime();
            Map<String, List<Line>> statements = new LinkedHashMap<>();
            soft(failures, () -> statements.putAll(checkStatements(outcome)));
            soft(failures, () -> checkTransfers(outcome));
            soft(failures, () -> checkBalances(outcome));
            if (statements.size() == accounts().size()) {
                List<String> wrongRefusals = wrongRefusals(outcome, statements);
                wrongRefusals.forEach(e -> System.out.println("TwoNodesIT[" + label + "]: wrong refusal " + e));
                soft(failures, () -> assertThat(wrongRefusals).as("refusals for insufficient funds while every state "
                        + "of the account that can have been current could pay (decided on stale data)").isEmpty());
            }

            // ---- the audit export of the tenant, from both nodes ----
            soft(failures, () -> checkAudit(tenant, outcome));
            System.out.printf("TwoNodesIT[%s]: %d transfers accepted (%d pending: %d posted, %d voided), %d refused,"
                            + " %d replays; checks %d ms; run %d ms; %d checks failed%n", label, outcome.created.size(),
                    outcome.pendingCreated, outcome.pendingPosted, outcome.pendingVoided, outcome.refused.size(),
                    outcome.replays, (System.nanoTime() - checkStart) / 1_000_000,
                    (System.nanoTime() - started) / 1_000_000, failures.size());
            if (!failures.isEmpty()) {
                AssertionError combined = new AssertionError(failures.size() + " checks failed with " + label + ": "
                        + failures.stream().map(f -> "\n  - " + f.getMessage()).reduce("", String::concat));
                failures.forEach(combined::addSuppressed);
                throw combined;
            }
        }

        /** Every answer of each key that got a 5xx, and of the other keys of its transfer, in time order. */
        private void printHistories() {
            Set<String> transfers = new java.util.TreeSet<>();
            answers.forEach((key, list) -> {
                if (list.stream().anyMatch(x -> x.status() >= 500)) {
                    transfers.add(requests.get(key).transferId());
                }
            });
            for (String id : transfers) {
                StringBuilder text = new StringBuilder("TwoNodesIT[" + label + "]: history of " + id + ":");
                List<String[]> events = new ArrayList<>();
                long origin = Long.MAX_VALUE;
                for (String key : keysOfTransfer.get(id)) {
                    for (Answer x : answers.get(key)) {
                        origin = Math.min(origin, x.sentNanos());
                    }
                }
                for (String key : keysOfTransfer.get(id)) {
                    Req req = requests.get(key);
                    for (Answer x : answers.get(key)) {
                        events.add(new String[] {String.format("%08d", (x.sentNanos() - origin) / 1_000_000),
                                String.format("%n    +%d..%d ms %s %s on %s -> %d%s %s", (x.sentNanos() - origin)
                                                / 1_000_000, (x.answeredNanos() - origin) / 1_000_000, req.kind(), key,
                                        x.node(), x.status(), x.replayed() ? " (replayed)" : "",
                                        x.body().length() > 160 ? x.body().substring(0, 160) : x.body())});
                    }
                }
                events.sort((p, q) -> p[0].compareTo(q[0]));
                events.forEach(e -> text.append(e[1]));
                System.out.println(text);
            }
        }

        // ---------------------------------------------------------------- the load

        /** The load, or a diagnosis (every thread of both nodes, what PostgreSQL waits for) if it hangs. */
        private void loadWithin(Duration timeout) throws Exception {
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try {
                Future<?> loading = runner.submit(() -> {
                    load();
                    return null;
                });
                try {
                    loading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    System.out.println("TwoNodesIT[" + label + "]: THE LOAD HANGS after " + timeout.toSeconds()
                            + " s; answers so far: " + answers.values().stream().mapToInt(List::size).sum());
                    dumpThreads();
                    dumpDatabase();
                    loading.cancel(true);
                    throw new AssertionError("the load did not finish within " + timeout.toSeconds()
                            + " s: a deadlock or a hung request (thread and lock dump above)");
                } catch (ExecutionException e) {
                    rethrow(loading);
                }
            } finally {
                runner.shutdownNow();
            }
        }

        private void dumpThreads() {
            StringBuilder text = new StringBuilder("TwoNodesIT[" + label + "]: threads of both nodes:");
            for (java.lang.management.ThreadInfo info : java.lang.management.ManagementFactory.getThreadMXBean()
                    .dumpAllThreads(true, true)) {
                String name = info.getThreadName();
                if (!(name.startsWith("http-nio") || name.startsWith("group-commit") || name.startsWith("pool-")
                        || name.contains("scheduler") || name.contains("db-scheduler"))) {
                    continue;
                }
                StackTraceElement[] stack = info.getStackTrace();
                boolean ours = java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("ledger."));
                if (!ours) {
                    continue;
                }
                text.append("\n  \"").append(name).append("\" ").append(info.getThreadState());
                if (info.getLockName() != null) {
                    text.append(" on ").append(info.getLockName()).append(" owned by ").append(info.getLockOwnerName());
                }
                for (java.lang.management.LockInfo held : info.getLockedSynchronizers()) {
                    text.append("\n      holds ").append(held);
                }
                int shown = 0;
                for (StackTraceElement f : stack) {
                    if (shown++ < 45) {
                        text.append("\n      at ").append(f);
                    }
                }
            }
            System.out.println(text);
        }

        private void dumpDatabase() {
            int pgPort = a.context().getBean(DataSourceConfig.EmbeddedServer.class).port();
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort
                    + "/postgres", "postgres", "");
                 PreparedStatement q = c.prepareStatement("SELECT pid, application_name, client_port, state, "
                         + "wait_event_type, wait_event, pg_blocking_pids(pid), now() - xact_start, left(query, 200) "
                         + "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                         + "AND state <> 'idle' ORDER BY xact_start")) {
                StringBuilder text = new StringBuilder("TwoNodesIT[" + label + "]: PostgreSQL sessions not idle:");
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        text.append("\n  pid ").append(rs.getInt(1)).append(" port ").append(rs.getInt(3)).append(' ')
                                .append(rs.getString(4)).append(" wait ").append(rs.getString(5)).append('/')
                                .append(rs.getString(6)).append(" blocked by ").append(rs.getString(7))
                                .append(" xact ").append(rs.getString(8)).append(": ")
                                .append(rs.getString(9).replaceAll("\\s+", " "));
                    }
                }
                System.out.println(text);
            } catch (SQLException e) {
                System.out.println("TwoNodesIT[" + label + "]: cannot read pg_stat_activity: " + e);
            }
        }

        private void load() throws Exception {
            ExecutorService workers = Executors.newFixedThreadPool(THREADS);
            ExecutorService partners = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(workers.submit(() -> {
                        Random random = new Random(seed + thread);
                        start.await();
                        for (int i = 0; i < OPS_PER_THREAD; i++) {
                            operation(random, thread, i, partners);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    rethrow(f);
                }
            } finally {
                workers.shutdownNow();
                partners.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
                partners.awaitTermination(10, TimeUnit.SECONDS);
            }
        }

        private void operation(Random random, int thread, int i, ExecutorService partners) throws Exception {
            String[] pair = pair(random);
            long amount = 1_00 + random.nextInt(300_00);
            if (!pair[0].equals(BANK) && random.nextDouble() < 0.08) {
                amount = HUGE;
            }
            Node node = random.nextBoolean() ? a : b;
            String id = "t-" + thread + "-" + i;
            double m = random.nextDouble();
            if (m < 0.35) { // once
                Req req = create("k-" + id, id, pair[0], pair[1], amount, false);
                send(node, req);
                settle(req, node);
            } else if (m < 0.55) { // the same key and body at the same moment on both nodes, re-sent later
                Req req = create("k-" + id, id, pair[0], pair[1], amount, false);
                race(req, node, req, other(node), partners);
                settleRace(req);
                resendLater.add(req.key());
            } else if (m < 0.65) { // sent, then re-sent to the other node: a replay
                Req req = create("k-" + id, id, pair[0], pair[1], amount, false);
                send(node, req);
                settle(req, node);
                send(other(node), req);
            } else if (m < 0.72) { // the key reused with another body on the other node, then the original
                Req req = create("k-" + id, id, pair[0], pair[1], amount, false);
                send(node, req);
                settle(req, node);
                Req changed = create(req.key(), id, pair[0], pair[1], amount + 1, false);
                probe(other(node), changed);
                send(random.nextBoolean() ? node : other(node), req);
            } else { // a pending transfer, posted or voided on the other node
                pending(random, node, id, pair, amount, partners);
            }
        }

        private void pending(Random random, Node node, String id, String[] pair, long amount,
                             ExecutorService partners) throws Exception {
            Req create = create("k-" + id, id, pair[0], pair[1], amount, true);
            Node creator = node;
            if (random.nextDouble() < 0.25) {
                race(create, node, create, other(node), partners);
                settleRace(create);
                resendLater.add(create.key());
                creator = random.nextBoolean() ? a : b;
            } else {
                send(node, create);
                settle(create, node);
            }
            Answer created = first(create.key());
            if (created.status() != 201) {
                return;
            }
            Ledgers.sleep(random.nextInt(4));
            Node resolver = other(creator);
            double r = random.nextDouble();
            if (r < 0.15) { // a post and a void with different keys at the same moment, one on each node
                Req post = post("kp-" + id, id, create, null);
                Req voided = voidIt("kv-" + id, id, create);
                postVoidRaces.incrementAndGet();
                race(post, resolver, voided, creator, partners);
                settleRace(post);
                settleRace(voided);
            } else {
                Req resolve;
                if (r < 0.50) {
                    resolve = post("kp-" + id, id, create, null);
                } else if (r < 0.75) {
                    resolve = post("kp-" + id, id, create, 1 + random.nextLong(create.amount()));
                } else {
                    resolve = voidIt("kv-" + id, id, create);
                }
                if (random.nextDouble() < 0.3) { // a racing duplicate of the post or void on both nodes
                    race(resolve, resolver, resolve, creator, partners);
                    settleRace(resolve);
                    resendLater.add(resolve.key());
                } else {
                    send(resolver, resolve);
                    settle(resolve, resolver);
                    if (random.nextDouble() < 0.3) {
                        send(creator, resolve); // re-sent on the creator: a replay
                    }
                }
            }
        }

        private void resend() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Callable<Void>> tasks = new ArrayList<>();
                Random random = new Random(seed);
                for (String key : resendLater) {
                    Node node = random.nextBoolean() ? a : b;
                    tasks.add(() -> {
                        Answer again = send(node, requests.get(key));
                        if (!again.replayed()) {
                            unexpected.add(key + " re-sent later to " + node.name() + " is no replay: "
                                    + again.status() + " " + again.body());
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(tasks)) {
                    rethrow(f);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        // ---------------------------------------------------------------- sending

        private Req create(String key, String id, String debit, String credit, long minorAmount, boolean pending) {
            String body = "{\"id\":\"" + id + "\",\"debitAccount\":\"" + debit + "\",\"creditAccount\":\"" + credit
                    + "\",\"amount\":\"" + amount(minorAmount) + "\",\"currency\":\"" + EUR + "\""
                    + (pending ? ",\"pending\":true,\"timeoutSeconds\":3600" : "") + "}";
            return new Req(key, Kind.CREATE, id, "/v1/transfers", body, debit, credit, minorAmount, pending);
        }

        private Req post(String key, String id, Req create, Long minorAmount) {
            String body = minorAmount == null ? "{}" : "{\"amount\":\"" + amount(minorAmount) + "\"}";
            return new Req(key, Kind.POST, id, "/v1/transfers/" + id + "/post", body, create.debit(), create.credit(),
                    minorAmount == null ? create.amount() : minorAmount, false);
        }

        private Req voidIt(String key, String id, Req create) {
            return new Req(key, Kind.VOID, id, "/v1/transfers/" + id + "/void", null, create.debit(), create.credit(),
                    0, false);
        }

        private Answer send(Node node, Req req) {
            Req known = requests.putIfAbsent(req.key(), req);
            if (known == null) {
                keysOfTransfer.computeIfAbsent(req.transferId(), k -> new CopyOnWriteArrayList<>()).add(req.key());
            }
            Answer answer = exchange(node, req);
            answers.computeIfAbsent(req.key(), k -> new CopyOnWriteArrayList<>()).add(answer);
            boolean expected = switch (req.kind()) {
                case CREATE -> answer.status() == 201
                        || (answer.status() == 422 && "insufficient_funds".equals(answer.code()));
                case POST, VOID -> answer.status() == 200
                        || (answer.status() == 409 && "transfer_not_pending".equals(answer.code()));
                case PROBE -> true;
            };
            if (!expected && answer.status() < 500) {
                unexpected.add(req.key() + " on " + node.name() + ": " + answer.status() + " " + answer.body());
            }
            return answer;
        }

        private void probe(Node node, Req changed) {
            Answer answer = exchange(node, changed);
            probes.put(changed.key(), answer);
            if (answer.status() != 409 || !"idempotency_conflict".equals(answer.code())) {
                if (answer.status() < 500) {
                    unexpected.add(changed.key() + " reused with another body on " + node.name() + ": "
                            + answer.status() + " " + answer.body());
                }
            }
        }

        private Answer exchange(Node node, Req req) {
            requestsPerNode.computeIfAbsent(node.name(), k -> new AtomicInteger()).incrementAndGet();
            long sent = System.nanoTime();
            LedgerClient.Response response;
            try {
                response = client(node).post(req.path(), req.key(), req.body());
            } catch (RuntimeException e) {
                String failure = req.key() + " " + req.path() + " on node " + node.name() + ": transport failure " + e;
                unexpected.add(failure);
                return new Answer(node.name(), -1, e.toString(), false, sent, System.nanoTime());
            }
            Answer answer = new Answer(node.name(), response.status(), response.body(),
                    "true".equals(response.header("Idempotent-Replayed")), sent, System.nanoTime());
            if (response.status() >= 500) {
                serverErrors.add("node " + node.name() + " " + req.path() + " key " + req.key() + " body "
                        + req.body() + " -> " + response.status() + " " + response.body());
            }
            return answer;
        }

        /** Sends {@code first} to {@code n1} and {@code second} to {@code n2} at the same moment. */
        private void race(Req first, Node n1, Req second, Node n2, ExecutorService partners) throws Exception {
            races.incrementAndGet();
            CyclicBarrier together = new CyclicBarrier(2);
            Future<Answer> partner = partners.submit(() -> {
                together.await(30, TimeUnit.SECONDS);
                return send(n2, second);
            });
            together.await(30, TimeUnit.SECONDS);
            send(n1, first);
            partner.get(60, TimeUnit.SECONDS);
        }

        /** The key's first answer that is not a failure of the service or transport (a 5xx is reported apart). */
        private Answer first(String key) {
            List<Answer> all = answers.get(key);
            return all.stream().filter(x -> x.status() > 0 && x.status() < 500).findFirst().orElse(all.get(0));
        }

        /** After a key's answer from {@code answeredBy}: counts what it posted, reads it on the other node. */
        private void settle(Req req, Node answeredBy) {
            List<Answer> all = answers.get(req.key());
            Answer answer = all.get(all.size() - 1);
            if (!answer.ok()) {
                return;
            }
            apply(req, answer);
            readOnOther(req, answer, other(answeredBy));
        }

        /** After a race: both nodes answered; each is read as the node that did not give the other answer. */
        private void settleRace(Req req) {
            Answer ok = answers.get(req.key()).stream().filter(Answer::ok).findFirst().orElse(null);
            if (ok == null) {
                return;
            }
            apply(req, ok);
            readOnOther(req, ok, a);
            readOnOther(req, ok, b);
        }

        private void apply(Req req, Answer answer) {
            if (!applied.add(req.key())) {
                return;
            }
            long posted = switch (req.kind()) {
                case CREATE -> req.pending() ? 0 : req.amount();
                case POST -> minor(answer.json().path("postedAmount").asText());
                default -> 0;
            };
            if (posted > 0) {
                acked.get(req.debit())[0].addAndGet(posted);
                acked.get(req.credit())[1].addAndGet(posted);
            }
        }

        /**
         * Read-your-writes across nodes: right after an acknowledged write, the other node shows the
         * transfer as answered, and both accounts' posted totals at least what every client has been
         * told so far (which includes this write).
         */
        private void readOnOther(Req req, Answer answer, Node node) {
            long[] debit = {acked.get(req.debit())[0].get(), acked.get(req.debit())[1].get()};
            long[] credit = {acked.get(req.credit())[0].get(), acked.get(req.credit())[1].get()};
            LedgerClient client = client(node);
            LedgerClient.Response transfer = client.get("/v1/transfers/" + req.transferId());
            reads.incrementAndGet();
            if (transfer.status() != 200 || !transfer.json().equals(answer.json())) {
                staleReads.add(req.key() + " answered by " + answer.node() + " " + answer.body() + "; read on "
                        + node.name() + ": " + transfer);
            }
            for (Map.Entry<String, long[]> account : Map.of(req.debit(), debit, req.credit(), credit).entrySet()) {
                LedgerClient.Response read = client.account(account.getKey());
                reads.incrementAndGet();
                if (read.status() != 200) {
                    staleReads.add("account " + account.getKey() + " on " + node.name() + ": " + read);
                    continue;
                }
                long debits = minor(read.json().get("debitsPosted").asText());
                long credits = minor(read.json().get("creditsPosted").asText());
                if (debits < account.getValue()[0] || credits < account.getValue()[1]) {
                    staleReads.add("after " + req.key() + " (answered by " + answer.node() + "), account "
                            + account.getKey() + " read on " + node.name() + " shows posted debits/credits " + debits
                            + "/" + credits + " below the acknowledged " + account.getValue()[0] + "/"
                            + account.getValue()[1]);
                }
            }
        }

        // ---------------------------------------------------------------- checks

        private final class Outcome {
            final List<Req> created = new ArrayList<>();
            final List<Req> refused = new ArrayList<>();
            /** transfer id -> the answer body its read must equal at the end */
            final Map<String, String> finalBody = new HashMap<>();
            /** account -> {debitsPosted, creditsPosted, debitsPending, creditsPending} */
            final Map<String, long[]> totals = new LinkedHashMap<>();
            /** account -> the statement lines "transferId:type", sorted */
            final Map<String, List<String>> lines = new HashMap<>();
            /** "transferId:type" -> when the write that made that line was first acknowledged */
            final Map<String, Long> ackedAt = new HashMap<>();
            /** "transferId:type" -> when the write that made that line was first sent */
            final Map<String, Long> sentAt = new HashMap<>();
            int pendingCreated;
            int pendingPosted;
            int pendingVoided;
            int resolutions;
            int replays;
        }

        private Outcome checkAnswers(List<AssertionError> failures) {
            Outcome o = new Outcome();
            accounts().forEach(id -> {
                o.totals.put(id, new long[4]);
                o.lines.put(id, new ArrayList<>());
            });
            assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(requests.keySet());
            for (Req req : requests.values()) {
                // a 5xx is reported on its own (above); the key's other answers must still agree
                List<Answer> all = answers.get(req.key()).stream().filter(x -> x.status() < 500 && x.status() > 0)
                        .toList();
                if (all.isEmpty()) {
                    continue;
                }
                Answer first = all.get(0);
                soft(failures, () -> {
                    for (Answer answer : all) {
                        assertThat(answer.status()).as("status for key %s on both nodes (%s)", req.key(), all)
                                .isEqualTo(first.status());
                        assertThat(answer.body()).as("body for key %s (%s)", req.key(), all).isEqualTo(first.body());
                    }
                });
                o.replays += (int) all.stream().filter(Answer::replayed).count();
                // answers that did not overlap: every one after the first answered one is a replay
                soft(failures, () -> {
                    for (Answer answer : all) {
                        boolean afterAnother = all.stream()
                                .anyMatch(x -> x != answer && x.answeredNanos() < answer.sentNanos());
                        if (afterAnother) {
                            assertThat(answer.replayed()).as("key %s sent again after it was answered, on %s: a replay",
                                    req.key(), answer.node()).isTrue();
                        }
                    }
                });
                if (!first.ok()) {
                    if (req.kind() == Kind.CREATE) {
                        o.refused.add(req);
                    }
                    continue;
                }
                long ackedAt = all.stream().filter(Answer::ok).mapToLong(Answer::answeredNanos).min().orElseThrow();
                JsonNode body = first.json();
                assertThat(body.get("id").asText()).isEqualTo(req.transferId());
                switch (req.kind()) {
                    case CREATE -> {
                        o.created.add(req);
                        assertThat(body.get("status").asText()).isEqualTo(req.pending() ? "PENDING" : "POSTED");
                        assertThat(body.get("legs")).hasSize(2);
                        for (JsonNode leg : body.get("legs")) {
                            boolean debitLeg = leg.get("side").asText().equals("debit");
                            assertThat(leg.get("account").asText()).isEqualTo(debitLeg ? req.debit() : req.credit());
                            assertThat(minor(leg.get("amount").asText())).isEqualTo(req.amount());
                        }
                        String type = req.pending() ? "reserved" : "posted";
                        line(o, req, type, ackedAt);
                        o.finalBody.putIfAbsent(req.transferId(), first.body());
                        if (req.pending()) {
                            o.pendingCreated++;
                            o.totals.get(req.debit())[2] += req.amount();
                            o.totals.get(req.credit())[3] += req.amount();
                        } else {
                            o.totals.get(req.debit())[0] += req.amount();
                            o.totals.get(req.credit())[1] += req.amount();
                        }
                    }
                    case POST, VOID -> {
                        o.resolutions++;
                        Req creation = requests.get("k-" + req.transferId());
                        o.finalBody.put(req.transferId(), first.body());
                        o.totals.get(req.debit())[2] -= creation.amount();
                        o.totals.get(req.credit())[3] -= creation.amount();
                        if (req.kind() == Kind.POST) {
                            o.pendingPosted++;
                            assertThat(body.get("status").asText()).isEqualTo("POSTED");
                            long posted = minor(body.get("postedAmount").asText());
                            assertThat(posted).as("posted amount of %s", req.key()).isEqualTo(req.amount());
                            o.totals.get(req.debit())[0] += posted;
                            o.totals.get(req.credit())[1] += posted;
                            line(o, req, "pending_posted", ackedAt);
                        } else {
                            o.pendingVoided++;
                            assertThat(body.get("status").asText()).isEqualTo("VOIDED");
                            line(o, req, "voided", ackedAt);
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            // a pending transfer is posted or voided at most once (one of a racing post and void wins)
            for (Map.Entry<String, List<String>> t : keysOfTransfer.entrySet()) {
                long resolved = t.getValue().stream().map(requests::get)
                        .filter(r -> r.kind() == Kind.POST || r.kind() == Kind.VOID)
                        .filter(r -> first(r.key()).ok()).count();
                assertThat(resolved).as("successful posts and voids of %s: %s", t.getKey(), t.getValue())
                        .isLessThanOrEqualTo(1);
                boolean raced = t.getValue().contains("kp-" + t.getKey()) && t.getValue().contains("kv-" + t.getKey());
                if (raced) {
                    assertThat(resolved).as("a post and a void of %s raced: exactly one wins", t.getKey()).isEqualTo(1);
                }
            }
            for (Map.Entry<String, Answer> p : probes.entrySet()) {
                assertThat(p.getValue().status()).as("key %s reused with another body: %s", p.getKey(),
                        p.getValue().body()).isEqualTo(409);
            }
            for (Req req : requests.values()) {
                if (req.kind() == Kind.CREATE && req.amount() == HUGE) {
                    assertThat(o.refused).as("no wallet can pay %s (%s)", amount(HUGE), req.key()).contains(req);
                }
            }
            // the run exercised every outcome
            assertThat(o.created.size()).as("accepted").isGreaterThan(THREADS * OPS_PER_THREAD / 3);
            assertThat(o.refused).as("refused").isNotEmpty();
            assertThat(o.pendingPosted).as("pending transfers posted on the other node").isPositive();
            assertThat(o.pendingVoided).as("pending transfers voided on the other node").isPositive();
            assertThat(races.get()).as("same-key races").isPositive();
            for (List<String> l : o.lines.values()) {
                Collections.sort(l);
            }
            return o;
        }

        private void soft(List<AssertionError> failures, Check check) {
            try {
                check.run();
            } catch (AssertionError e) {
                failures.add(e);
                System.out.println("TwoNodesIT[" + label + "]: CHECK FAILED: " + e.getMessage());
            } catch (Exception e) {
                AssertionError wrapped = new AssertionError("check threw " + e, e);
                failures.add(wrapped);
                System.out.println("TwoNodesIT[" + label + "]: CHECK FAILED: " + wrapped.getMessage());
            }
        }

        private void line(Outcome o, Req req, String type, long ackedAt) {
            o.lines.get(req.debit()).add(req.transferId() + ":" + type);
            o.lines.get(req.credit()).add(req.transferId() + ":" + type);
            o.ackedAt.put(req.transferId() + ":" + type, ackedAt);
            o.sentAt.put(req.transferId() + ":" + type,
                    answers.get(req.key()).stream().mapToLong(Answer::sentNanos).min().orElseThrow());
        }

        /** Both nodes' statements are the same, hold each acknowledged movement once, and nothing else. */
        private Map<String, List<Line>> checkStatements(Outcome o) {
            Map<String, List<Line>> statements = new LinkedHashMap<>();
            for (String account : accounts()) {
                List<Line> onNodeA = Ledgers.statement(onA, account, 1000);
                List<Line> onNodeB = Ledgers.statement(onB, account, 1000);
                assertThat(onNodeB).as("statement of %s on B equals A's", account).isEqualTo(onNodeA);
                List<String> seen = new ArrayList<>(onNodeA.stream().map(l -> l.transferId() + ":" + l.type()).toList());
                Collections.sort(seen);
                assertThat(seen).as("statement of %s: each acknowledged movement exactly once, nothing else", account)
                        .containsExactlyElementsOf(o.lines.get(account));
                long previous = -1;
                for (Line line : onNodeA) {
                    assertThat(line.seq()).as("%s statement order", account).isGreaterThan(previous);
                    previous = line.seq();
                    if (!account.equals(BANK)) {
                        assertThat(line.balance()).as("%s never below zero (%s)", account, line).isNotNegative();
                        assertThat(line.available()).as("%s never below zero (%s)", account, line).isNotNegative();
                    }
                }
                if (!onNodeA.isEmpty()) {
                    Line last = onNodeA.get(onNodeA.size() - 1);
                    assertThat(last.debitsPosted()).as("last line of %s", account).isEqualTo(o.totals.get(account)[0]);
                    assertThat(last.creditsPosted()).as("last line of %s", account).isEqualTo(o.totals.get(account)[1]);
                }
                statements.put(account, onNodeA);
            }
            return statements;
        }

        /** Every acknowledged transfer reads as last answered on both nodes; no refused one exists. */
        private void checkTransfers(Outcome o) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Callable<Void>> reads = new ArrayList<>();
                for (Map.Entry<String, String> t : o.finalBody.entrySet()) {
                    reads.add(() -> {
                        for (LedgerClient client : List.of(onA, onB)) {
                            LedgerClient.Response view = client.get("/v1/transfers/" + t.getKey());
                            assertThat(view.status()).as("%s on port %d: %s", t.getKey(), client.port(), view)
                                    .isEqualTo(200);
                            assertThat(view.json()).as("%s read on port %d renders as answered", t.getKey(),
                                    client.port()).isEqualTo(json(t.getValue()));
                        }
                        return null;
                    });
                }
                for (Req req : o.refused) {
                    reads.add(() -> {
                        for (LedgerClient client : List.of(onA, onB)) {
                            LedgerClient.Response view = client.get("/v1/transfers/" + req.transferId());
                            assertThat(view.status()).as("refused %s must not exist: %s", req.transferId(), view)
                                    .isEqualTo(404);
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(reads)) {
                    rethrow(f);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        /** Trial balance and accounts on both nodes: exactly what the clients were told, balanced, no wallet below zero. */
        private void checkBalances(Outcome o) {
            JsonNode trialA = onA.get("/v1/reports/trial-balance?currency=" + EUR).json();
            JsonNode trialB = onB.get("/v1/reports/trial-balance?currency=" + EUR).json();
            assertThat(trialB).as("trial balance on B equals A's").isEqualTo(trialA);
            Map<String, String> actual = new TreeMap<>();
            for (JsonNode line : trialA.get("accounts")) {
                actual.put(line.get("account").asText(), minor(line.get("debits").asText()) + "/"
                        + minor(line.get("credits").asText()));
            }
            Map<String, String> wanted = new TreeMap<>();
            o.totals.forEach((id, t) -> wanted.put(id, t[0] + "/" + t[1]));
            assertThat(actual).as("trial balance: posted debits/credits per account").isEqualTo(wanted);
            JsonNode totals = trialA.get("totals");
            assertThat(totals).hasSize(1);
            assertThat(totals.get(0).get("balanced").asBoolean()).isTrue();
            assertThat(minor(totals.get(0).get("debits").asText()))
                    .isEqualTo(minor(totals.get(0).get("credits").asText()));
            long sumOfBalances = 0;
            for (String id : accounts()) {
                long[] t = o.totals.get(id);
                for (LedgerClient client : List.of(onA, onB)) {
                    JsonNode account = client.account(id).json();
                    assertThat(minor(account.get("debitsPosted").asText())).as("debits of %s", id).isEqualTo(t[0]);
                    assertThat(minor(account.get("creditsPosted").asText())).as("credits of %s", id).isEqualTo(t[1]);
                    assertThat(minor(account.get("debitsPending").asText())).as("pending debits of %s", id)
                            .isEqualTo(t[2]);
                    assertThat(minor(account.get("creditsPending").asText())).as("pending credits of %s", id)
                            .isEqualTo(t[3]);
                    if (!id.equals(BANK)) {
                        assertThat(minor(account.get("balance").asText())).as("balance of %s", id)
                                .isEqualTo(t[1] - t[0]).isNotNegative();
                        assertThat(minor(account.get("available").asText())).as("available of %s", id)
                                .isEqualTo(t[1] - t[0] - t[2]).isNotNegative();
                    }
                }
                sumOfBalances += t[0] - t[1];
            }
            assertThat(sumOfBalances).as("sum of all balances (debits - credits)").isZero();
        }

        /**
         * Refusals for insufficient funds against the account's history (its statement, and when each
         * change was sent and first acknowledged). A refusal is <em>wrong</em> if no state that can have
         * been current while the refused request was being decided (between its first sending and its
         * first answer) had less available than the amount: every such state could pay, so the answer
         * cannot be explained by any order of the writes (returned, and the test fails on them). It is
         * <em>stale</em> if the state it names (the available amount in its detail) had been replaced by
         * a write acknowledged before the request was sent, yet some state of the window refuses too:
         * the answer is right, its reason was read from an old state (printed only).
         */
        private List<String> wrongRefusals(Outcome o, Map<String, List<Line>> statements) {
            List<String> wrong = new ArrayList<>();
            int checked = 0;
            int stale = 0;
            for (Req req : o.refused) {
                List<Answer> all = answers.get(req.key()).stream().filter(x -> x.status() == 422).toList();
                long sent = all.stream().mapToLong(Answer::sentNanos).min().orElseThrow();
                long answered = all.stream().mapToLong(Answer::answeredNanos).min().orElseThrow();
                String detail = all.get(0).json().path("detail").asText();
                Matcher m = INSUFFICIENT.matcher(detail);
                if (!m.find()) {
                    wrong.add(req.key() + ": cannot read the refusal's detail: " + detail);
                    continue;
                }
                String account = m.group(1);
                long named = minor(m.group(2));
                List<Line> lines = statements.get(account);
                // state 0: opened (available 0, before anything was sent); state i: after line i-1, replaced by line i
                boolean possible = false;
                boolean namedCurrent = false;
                StringBuilder window = new StringBuilder();
                for (int i = 0; i <= lines.size(); i++) {
                    long available = i == 0 ? 0 : lines.get(i - 1).available();
                    Long createdSent = i == 0 ? Long.MIN_VALUE
                            : o.sentAt.get(lines.get(i - 1).transferId() + ":" + lines.get(i - 1).type());
                    Long replacedAcked = i == lines.size() ? null
                            : o.ackedAt.get(lines.get(i).transferId() + ":" + lines.get(i).type());
                    boolean currentAtSend = replacedAcked == null || replacedAcked > sent;
                    boolean createdInTime = createdSent == null || createdSent < answered;
                    if (available == named && currentAtSend) {
                        namedCurrent = true;
                    }
                    if (currentAtSend && createdInTime) {
                        window.append(' ').append(amount(available));
                        if (available < req.amount()) {
                            possible = true;
                        }
                    }
                }
                checked++;
                if (!possible) {
                    wrong.add(req.key() + " (" + req.body() + ", answered first by node " + all.get(0).node() + "): "
                            + detail + ", but while it was decided " + account + " had only states with available"
                            + window + " (each enough)");
                } else if (!namedCurrent) {
                    stale++;
                }
            }
            System.out.printf("TwoNodesIT[%s]: %d refusals checked against the statements: %d wrong, %d more decided on"
                    + " an account state already replaced when the request was sent (right answer, stale reason)%n",
                    label, checked, wrong.size(), stale);
            return wrong;
        }

        /** The tenant's audit export from each node verifies and holds exactly the events of the acknowledged writes. */
        private void checkAudit(String tenant, Outcome o) throws Exception {
            LedgerClient.Response keyA = onA.get("/v1/audit/public-key");
            LedgerClient.Response keyB = onB.get("/v1/audit/public-key");
            assertThat(keyA.status()).as(keyA.toString()).isEqualTo(200);
            assertThat(keyB.json()).as("both nodes sign with the same key").isEqualTo(keyA.json());
            String publicKey = keyA.json().get("publicKey").asText();
            // accounts opened + transfers created + pending transfers posted or voided
            int expectedEvents = accounts().size() + o.created.size() + o.resolutions;
            long stored = count(tenant);
            assertThat(stored).as("events of the tenant in the event store").isEqualTo(expectedEvents);
            for (LedgerClient client : List.of(onA, onB)) {
                LedgerClient.Response export = client.get("/v1/audit/export");
                assertThat(export.status()).as("export on port %d: %s", client.port(), export).isEqualTo(200);
                Map<String, Integer> perAggregate = new HashMap<>();
                int events = 0;
                for (String line : export.body().split("\n")) {
                    JsonNode node = json(line);
                    if (node.get("type").asText().equals("event")) {
                        events++;
                        perAggregate.merge(node.get("envelope").get("aggregateId").asText(), 1, Integer::sum);
                    }
                }
                assertThat(events).as("events in the export from port %d", client.port()).isEqualTo(expectedEvents);
                for (Req req : o.created) {
                    int expected = 1 + (int) keysOfTransfer.get(req.transferId()).stream().map(requests::get)
                            .filter(r -> r.kind() != Kind.CREATE && first(r.key()).ok()).count();
                    assertThat(perAggregate.get(tenant + "/transfer/" + req.transferId()))
                            .as("events of transfer %s in the export", req.transferId()).isEqualTo(expected);
                }
                for (Req req : o.refused) {
                    assertThat(perAggregate).as("refused %s in the export", req.transferId())
                            .doesNotContainKey(tenant + "/transfer/" + req.transferId());
                }
                Path file = Files.createTempFile(ROOT.toAbsolutePath().getParent(), "two-nodes-export-", ".jsonl");
                try {
                    Files.writeString(file, export.body(), StandardCharsets.UTF_8);
                    StringWriter out = new StringWriter();
                    StringWriter err = new StringWriter();
                    int exit = AuditVerify.run(new String[] {"verify", file.toString(), "--public-key", publicKey},
                            new PrintWriter(out), new PrintWriter(err));
                    System.out.printf("TwoNodesIT[%s]: audit-verify of the export from port %d: exit %d %s%s%n", label,
                            client.port(), exit, out.toString().trim(), err.toString().trim());
                    assertThat(exit).as("audit-verify of the export from port %d: %s %s", client.port(), out, err)
                            .isEqualTo(AuditVerify.VERIFIED);
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }

        private long count(String tenant) throws SQLException {
            DataSource dataSource = a.context().getBean(DataSource.class);
            try (Connection c = dataSource.getConnection();
                 PreparedStatement q = c.prepareStatement("SELECT count(*) FROM domain_event_entry "
                         + "WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant' = ?")) {
                q.setString(1, tenant);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        /** Transactions rolled back in the database so far (conflicts retried inside the service, among others). */
        private long rollbacks() throws SQLException {
            DataSource dataSource = a.context().getBean(DataSource.class);
            try (Connection c = dataSource.getConnection();
                 PreparedStatement q = c.prepareStatement(
                         "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()")) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    private static List<String> accounts() {
        List<String> all = new ArrayList<>();
        all.add(BANK);
        all.addAll(WALLETS);
        return all;
    }

    private static String[] pair(Random random) {
        double d = random.nextDouble();
        if (d < 0.6) {
            int from = random.nextInt(WALLETS.size());
            int to = (from + 1 + random.nextInt(WALLETS.size() - 1)) % WALLETS.size();
            return new String[] {WALLETS.get(from), WALLETS.get(to)};
        }
        if (d < 0.8) {
            return new String[] {BANK, WALLETS.get(random.nextInt(WALLETS.size()))};
        }
        return new String[] {WALLETS.get(random.nextInt(WALLETS.size())), BANK};
    }

    private static <T> T rethrow(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError failure) {
                throw failure;
            }
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ the service's log

    /**
     * Captures what both nodes log at WARN and above, and the group-commit bus's debug lines (a batch
     * abandoned on a conflict and re-run command by command), to report conflicts and to diagnose.
     */
    private static final class LogCapture extends AppenderBase<ILoggingEvent> {
        private static final String BUS = "ledger.api.command.GroupCommitCommandBus";
        private final ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();
        private final Map<String, AtomicInteger> kinds = new ConcurrentHashMap<>();
        private final AtomicInteger abandonedBatches = new AtomicInteger();
        private final Map<String, String> samples = new ConcurrentHashMap<>();
        private Level busLevel;

        static LogCapture attach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            LogCapture capture = new LogCapture();
            capture.setContext(context);
            capture.setName("two-nodes-it");
            capture.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
            Logger bus = context.getLogger(BUS);
            capture.busLevel = bus.getLevel();
            bus.setLevel(Level.DEBUG);
            bus.setAdditive(false); // the debug lines only here, not on the console
            bus.addAppender(capture);
            return capture;
        }

        void detach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            Logger bus = context.getLogger(BUS);
            bus.detachAppender(this);
            bus.setAdditive(true);
            bus.setLevel(busLevel);
            stop();
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLoggerName().equals(BUS) && event.getLevel() == Level.DEBUG) {
                abandonedBatches.incrementAndGet();
                String kind = "batch abandoned: " + rootCause(event.getFormattedMessage());
                kinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                samples.putIfAbsent(kind, event.getFormattedMessage());
                return;
            }
            if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
                return;
            }
            StringBuilder text = new StringBuilder(event.getLevel() + " [" + event.getThreadName() + "] "
                    + event.getLoggerName() + ": " + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append("\n    caused by ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            kinds.computeIfAbsent(event.getLevel() + " " + event.getLoggerName(), k -> new AtomicInteger())
                    .incrementAndGet();
            if (warnings.size() < 20) {
                warnings.add(text.toString());
            }
        }

        private static String rootCause(String message) {
            int open = message.indexOf('(');
            int close = message.lastIndexOf(')');
            String cause = open >= 0 && close > open ? message.substring(open + 1, close) : message;
            int colon = cause.indexOf(':');
            return colon > 0 ? cause.substring(0, colon) : cause;
        }

        String summary() {
            return abandonedBatches.get() + " group-commit batches abandoned on a conflict and re-run one by one; "
                    + kinds;
        }

        void print(String label) {
            samples.forEach((kind, message) -> System.out.println("TwoNodesIT[" + label + "]: e.g. " + message));
            warnings.forEach(w -> System.out.println("TwoNodesIT[" + label + "]: logged " + w));
        }
    }
}
