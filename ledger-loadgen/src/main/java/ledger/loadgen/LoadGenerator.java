package ledger.loadgen;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives a running ledger with concurrent clients, then checks the books: the run's own tenant
 * must balance per currency and hold exactly the acknowledged transfers. With {@code --protocol sql}
 * the same clients drive a hand-written SQL ledger ({@link SqlPeer}) instead, for a ratio measured
 * in the same conditions.
 */
@Command(name = "ledger-loadgen", mixinStandardHelpOptions = true,
        description = "Posts transfers to a running ledger over gRPC or REST (or to a hand-written SQL ledger, "
                + "--protocol sql), prints throughput, latency and refusals, then checks that the books balance "
                + "and that every acknowledged transfer is in the ledger.")
public final class LoadGenerator implements Callable<Integer> {
    enum Protocol { grpc, rest, sql }

    /** What the clients do. */
    enum Scenario { transfers, settlements }

    @Option(names = "--scenario", description = "${COMPLETION-CANDIDATES}: single transfers or batches (default), or "
            + "cross-currency settlements over gRPC from the first of --currencies to the second, each client "
            + "waiting for its settlement to end before the next (default ${DEFAULT-VALUE})")
    Scenario scenario = Scenario.transfers;

    @Option(names = "--protocol", description = "how the clients post transfers: ${COMPLETION-CANDIDATES} "
            + "(default ${DEFAULT-VALUE}); over grpc and rest, accounts, the lag probe and the final check use REST; "
            + "sql drives the hand-written SQL ledger peer (schema sql_peer) at --jdbc-url instead of the service")
    Protocol protocol = Protocol.grpc;

    @Option(names = "--jdbc-url", description = "with --protocol sql: the PostgreSQL to install the peer in, "
            + "e.g. jdbc:postgresql://127.0.0.1:5432/postgres (its schema sql_peer is dropped and recreated)")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "with --protocol sql (default ${DEFAULT-VALUE})")
    String jdbcUser = "postgres";

    @Option(names = "--jdbc-password", description = "with --protocol sql (default: none)")
    String jdbcPassword;

    @Option(names = "--url", description = "the ledger's REST base URL (default ${DEFAULT-VALUE})")
    String url = "http://127.0.0.1:8080";

    @Option(names = "--grpc-target", description = "the ledger's gRPC address (default ${DEFAULT-VALUE})")
    String grpcTarget = "127.0.0.1:9090";

    @Option(names = "--grpc-ca", description = "PEM certificates to trust: connect to gRPC over TLS (default: plaintext)")
    java.io.File grpcCa;

    @Option(names = "--batch", description = "transfers per SubmitTransfers call over gRPC, or per transaction "
            + "over SQL, 1 to 8190 (1 over REST; default ${DEFAULT-VALUE})")
    int batch = 1;

    @Option(names = "--operator-key",
            description = "an API key with role operator: the run creates its own tenant with it")
    String operatorKey;

    @Option(names = "--tenant-key", description = "instead of --operator-key: an admin key of an existing tenant "
            + "to post into (the books check then counts what this run added)")
    String tenantKey;

    @Option(names = "--clients", description = "concurrent clients (default ${DEFAULT-VALUE})")
    int clients = 8;

    @Option(names = "--accounts", description = "accounts per currency (default ${DEFAULT-VALUE})")
    int accounts = 10_000;

    @Option(names = "--hot", description = "use only this many accounts per currency (hot accounts), e.g. 10")
    Integer hot;

    @Option(names = "--currencies", split = ",", description = "currency mix (default ${DEFAULT-VALUE})")
    List<String> currencies = List.of("EUR");

    @Option(names = "--duration", description = "measured run time, e.g. 30s or 2m (default ${DEFAULT-VALUE})")
    String duration = "30s";

    @Option(names = "--warmup", description = "unmeasured warm-up before it (default ${DEFAULT-VALUE})")
    String warmup = "5s";

    @Option(names = "--amount", description = "amount of every transfer (default ${DEFAULT-VALUE}); a negative one "
            + "(-1.00) is refused by the service before it reaches its database, so such a run measures what the "
            + "transport alone costs (answered/s; ops/bench.sh scenarios 7 and 8)")
    String amount = "1.00";

    @Option(names = "--lag-probe-ms", description = "how often to measure the balance read model's lag "
            + "(default ${DEFAULT-VALUE}; at most every few ms: a probe waits for its transfer to show)")
    long lagProbeMs = 250;

    /**
     * How often a probe reads the balance while it waits for its transfer to show: a lag is known to
     * within this, and the probe's own reads stay a small part of the service's work (every 2 ms
     * they took ~7% of its CPU).
     */
    private static final long PROBE_POLL_MS = 10;

    @Option(names = "--seed", description = "random seed (default: time)")
    Long seed;

    /** This run's id (base 36 of its start time): a prefix of its account and transfer ids. */
    private String run;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || batch > GrpcTransport.BATCH_MAX || (protocol == Protocol.rest && batch != 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--batch is 1 to " + GrpcTransport.BATCH_MAX + " over gRPC and SQL and 1 over REST");
        }
        if (clients < 1 || accounts < 2 || (hot != null && hot < 2)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--clients must be at least 1, --accounts and --hot at least 2");
        }
        if (protocol == Protocol.sql ? jdbcUrl == null || operatorKey != null || tenantKey != null
                : (operatorKey == null) == (tenantKey == null) || jdbcUrl != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), protocol == Protocol.sql
                    ? "--protocol sql needs --jdbc-url and no API key"
                    : "give either --operator-key (a new tenant) or --tenant-key (an existing one), and no --jdbc-url");
        }
        if (scenario == Scenario.settlements && (protocol != Protocol.grpc || batch != 1 || currencies.size() != 2
                || currencies.get(0).equals(currencies.get(1)))) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--scenario settlements runs over --protocol grpc without --batch, with --currencies FROM,TO");
        }
        parse(duration);
        parse(warmup);
        long runSeed = seed != null ? seed : System.nanoTime();
        run = Long.toString(System.currentTimeMillis(), 36);
        if (scenario == Scenario.settlements) {
            return runSettlements(runSeed);
        }
        return protocol == Protocol.sql ? runSqlPeer(runSeed) : runService(runSeed);
    }

    /** The service over gRPC or REST, with the balance read model's lag probe and the books read over REST. */
    private int runService(long runSeed) throws Exception {
        String tenant = tenantKey != null ? "of the given key" : "load-" + run;
        RestClient admin = new RestClient(url, tenantKey != null ? tenantKey
                : new RestClient(url, operatorKey).createTenant(tenant));
        Map<String, BigDecimal[]> before = admin.trialBalanceTotals();
        printRun("tenant " + tenant, runSeed);

        GrpcTransport.Channels channels = protocol == Protocol.grpc
                ? new GrpcTransport.Channels(grpcTarget, grpcCa, clients, 8) : null;
        IntFunction<Transport> transports = client -> protocol == Protocol.grpc
                ? new GrpcTransport(channels.forClient(client), admin.apiKey()) : new RestTransport(admin.copy());
        String probeTo = run + "-probe-to";
        Histogram lag = new Histogram(3);
        long[] firstReads = {0};
        Load load;
        try {
            openAccounts(transports);
            String probeFrom = run + "-probe-from";
            admin.openAccount(probeFrom, currencies.get(0), "ASSET", "unlimited");
            admin.openAccount(probeTo, currencies.get(0), "LIABILITY", "unlimited");
            load = drive(transports, runSeed, (measureFrom, end) -> {
                try (RestClient rest = admin.copy()) {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        if (System.nanoTime() >= measureFrom) {
                            if (rest.transfer(run + "-probe-" + n, probeFrom, probeTo, "1.00", currencies.get(0))
                                    .status() == 201) {
                                // from the acknowledgement: a read right after it must show the transfer
                                long acknowledged = System.nanoTime();
                                String expected = new BigDecimal(n + 1).setScale(2).toPlainString();
                                boolean atFirstRead = expected.equals(rest.balance(probeTo));
                                if (atFirstRead) {
                                    firstReads[0]++;
                                }
                                while (!atFirstRead && !expected.equals(rest.balance(probeTo))
                                        && System.nanoTime() - acknowledged < 60_000_000_000L) {
                                    Thread.sleep(PROBE_POLL_MS);
                                }
                                lag.recordValue(atFirstRead ? 0 : Math.max(1, (System.nanoTime() - acknowledged) / 1_000));
                                n++;
                            }
                        }
                        Thread.sleep(Math.max(1, Math.min(lagProbeMs, (end - System.nanoTime()) / 1_000_000)));
                    }
                }
            });
        } finally {
            if (channels != null) {
                channels.close();
            }
        }
        report(load, String.format("balance read model lag ms p50 %.1f  p99 %.1f  (%d probes; the first read after "
                        + "the acknowledgement showed the transfer in %d)", lag.getValueAtPercentile(50) / 1e3,
                lag.getValueAtPercentile(99) / 1e3, lag.getTotalCount(), firstReads[0]));
        return checkBooks(admin, before, probeTo, load.acknowledgedByCurrency()) ? 0 : 1;
    }

    /**
     * Settlements from the first currency to the second ({@link SettlementLoad}) in a new tenant
     * (or the given one), between this run's accounts; the books checked when the load has ended.
     */
    private int runSettlements(long runSeed) throws Exception {
        String tenant = tenantKey != null ? "of the given key" : "load-" + run;
        RestClient admin = new RestClient(url, tenantKey != null ? tenantKey
                : new RestClient(url, operatorKey).createTenant(tenant));
        printRun("tenant " + tenant + ", settlements " + currencies.get(0) + " -> " + currencies.get(1), runSeed);
        String from = currencies.get(0);
        String to = currencies.get(1);
        SettlementLoad load = new SettlementLoad(run, from, to, amount, perCurrency(), i -> account(from, i),
                i -> account(to, i));
        SettlementLoad.Result result;
        try (GrpcTransport.Channels channels = new GrpcTransport.Channels(grpcTarget, grpcCa, clients, 8)) {
            openAccounts(client -> new GrpcTransport(channels.forClient(client), admin.apiKey()));
            long start = System.nanoTime();
            long measureFrom = start + parse(warmup).toNanos();
            long end = measureFrom + parse(duration).toNanos();
            result = load.drive(client -> SettlementLoad.stub(channels.forClient(client), admin.apiKey()), clients,
                    runSeed, measureFrom, end);
        }
        SettlementLoad.report(result, parse(duration).toNanos() / 1e9);
        return load.checkBooks(admin, result) ? 0 : 1;
    }

    /**
     * The hand-written SQL peer ({@link SqlPeer}): installed afresh, driven by the same clients as the
     * service, its books checked in SQL. Its balances are written in the posting transaction, so
     * there is no read model lag to probe.
     */
    private int runSqlPeer(long runSeed) throws Exception {
        SqlPeer.Database database = new SqlPeer.Database(jdbcUrl, jdbcUser, jdbcPassword);
        SqlPeer.install(database);
        printRun("SQL peer in schema " + SqlPeer.SCHEMA + " at " + jdbcUrl + " (" + SqlPeer.describe(database) + ")",
                runSeed);
        IntFunction<Transport> transports = client -> new SqlTransport(database);
        openAccounts(transports);
        Load load = drive(transports, runSeed, null);
        report(load, null);
        return SqlPeer.checkBooks(database, currencies, new BigDecimal(amount), load.acknowledgedByCurrency()) ? 0 : 1;
    }

    private void printRun(String where, long runSeed) {
        System.out.printf("run %s, %s: %s, %d clients, %d transfer%s per call, %d %saccounts per currency %s, "
                        + "%s warm-up + %s, seed %d%n", run, where, protocol, clients, batch, batch == 1 ? "" : "s",
                perCurrency(), hot != null ? "hot " : "", currencies, warmup, duration, runSeed);
    }

    private int perCurrency() {
        return hot != null ? hot : accounts;
    }

    /** Runs beside the clients from the start of the measured time to its end (e.g. the lag probe). */
    @FunctionalInterface
    interface Sidecar {
        void run(long measureFromNanos, long endNanos) throws Exception;
    }

    /**
     * What the clients achieved: every acknowledged transfer, those in the measured time, every
     * transfer answered in the measured time (acknowledged or refused), latency, refusals.
     */
    record Load(long acknowledged, long acknowledgedMeasured, long answeredMeasured,
                Map<String, AtomicLong> acknowledgedByCurrency, Histogram latency, Map<String, LongAdder> refusals) {
    }

    /** The clients, each on its own transport, posting random transfers through warm-up and measured time. */
    private Load drive(IntFunction<Transport> transports, long runSeed, Sidecar sidecar) throws Exception {
        int perCurrency = perCurrency();
        Recorder latency = new Recorder(3);
        Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
        Map<String, AtomicLong> acknowledgedByCurrency = new ConcurrentHashMap<>();
        currencies.forEach(c -> acknowledgedByCurrency.put(c, new AtomicLong()));
        LongAdder acknowledged = new LongAdder();
        LongAdder acknowledgedMeasured = new LongAdder();
        LongAdder answeredMeasured = new LongAdder();

        long start = System.nanoTime();
        long measureFrom = start + parse(warmup).toNanos();
        long end = measureFrom + parse(duration).toNanos();
        List<Callable<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(() -> {
                try (Transport transport = transports.apply(client)) {
                    SplittableRandom random = new SplittableRandom(runSeed + client);
                    long n = 0;
                    List<Transport.Transfer> transfers = new ArrayList<>(batch);
                    while (System.nanoTime() < end) {
                        transfers.clear();
                        for (int i = 0; i < batch; i++) {
                            String currency = currencies.get(random.nextInt(currencies.size()));
                            int from = random.nextInt(perCurrency);
                            int to = (from + 1 + random.nextInt(perCurrency - 1)) % perCurrency;
                            transfers.add(new Transport.Transfer(run + "-c" + client + "-" + n++, account(currency, from),
                                    account(currency, to), amount, currency));
                        }
                        long t0 = System.nanoTime();
                        List<Transport.Outcome> outcomes = transport.submit(transfers);
                        long t1 = System.nanoTime();
                        boolean measuring = t0 >= measureFrom && t1 <= end;
                        for (int i = 0; i < outcomes.size(); i++) {
                            Transport.Outcome outcome = outcomes.get(i);
                            if (outcome.acknowledged()) {
                                acknowledged.increment();
                                acknowledgedByCurrency.get(transfers.get(i).currency()).incrementAndGet();
                                if (measuring) {
                                    acknowledgedMeasured.increment();
                                }
                            } else {
                                refusals.computeIfAbsent(outcome.code(), k -> new LongAdder()).increment();
                            }
                        }
                        if (measuring) {
                            latency.recordValue(Math.max(1, (t1 - t0) / 1_000));
                            answeredMeasured.add(outcomes.size());
                        }
                    }
                }
                return null;
            });
        }
        if (sidecar != null) {
            running.add(() -> {
                sidecar.run(measureFrom, end);
                return null;
            });
        }
        running.add(measuredTimeMarks(measureFrom, end));
        runTogether(running);
        return new Load(acknowledged.sum(), acknowledgedMeasured.sum(), answeredMeasured.sum(),
                acknowledgedByCurrency, latency.getIntervalHistogram(), refusals);
    }

    /** Throughput, latency, an optional line of the protocol's own, and refusals by code. */
    private void report(Load load, String extraLine) {
        Histogram h = load.latency();
        double seconds = parse(duration).toNanos() / 1e9;
        System.out.printf("transfers/s %.0f (acknowledged %d in the measured %s; %d in all)%n",
                load.acknowledgedMeasured() / seconds, load.acknowledgedMeasured(), duration, load.acknowledged());
        System.out.printf("answered/s %.0f (answered %d in the measured %s, acknowledged or refused)%n",
                load.answeredMeasured() / seconds, load.answeredMeasured(), duration);
        System.out.printf("latency ms per call%s: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                batch == 1 ? "" : " of " + batch + " transfers", h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        if (extraLine != null) {
            System.out.println(extraLine);
        }
        System.out.println("refusals " + (load.refusals().isEmpty() ? "none" : new TreeMap<>(load.refusals())));
    }

    /** Opens the accounts from as many threads as there are clients (at least 2, at most 16), over the run's protocol. */
    private void openAccounts(IntFunction<Transport> transports) throws Exception {
        int perCurrency = perCurrency();
        int threads = Math.max(2, Math.min(clients, 16));
        List<Callable<?>> openers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            openers.add(() -> {
                try (Transport transport = transports.apply(thread)) {
                    for (String currency : currencies) {
                        for (int i = thread; i < perCurrency; i += threads) {
                            transport.openAccount(account(currency, i), currency, "LIABILITY", "unlimited");
                        }
                    }
                }
                return null;
            });
        }
        runTogether(openers);
    }

    /**
     * Runs the tasks each on a thread of its own and waits for all of them; a task's failure is
     * thrown (the others are interrupted then).
     */
    static void runTogether(List<Callable<?>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<?>> running = new ArrayList<>(tasks.size());
            for (Callable<?> task : tasks) {
                running.add(pool.submit(task));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /**
     * Marks the measured time on stderr, so whoever samples the machine's counters (ops/bench.sh) can
     * take the measured time alone.
     */
    static Callable<Void> measuredTimeMarks(long measureFrom, long end) {
        return () -> {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, measureFrom - System.nanoTime()));
            System.err.println("measured time starts");
            TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
            System.err.println("measured time ends");
            return null;
        };
    }

    /**
     * The books: once the read models have caught up, each currency's total debits equal its total
     * credits, and what this run added to them equals the acknowledged transfers times the amount
     * (plus the lag probe's 1.00 transfers in the first currency).
     */
    private boolean checkBooks(RestClient admin, Map<String, BigDecimal[]> before, String probeTo,
                               Map<String, AtomicLong> acknowledgedByCurrency) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long started = System.nanoTime();
        BigDecimal probes = admin.postedCredits(probeTo);
        Map<String, BigDecimal[]> totals = Map.of();
        boolean ok = false;
        while (System.nanoTime() < deadline && !ok) {
            totals = admin.trialBalanceTotals();
            ok = true;
            for (String currency : currencies) {
                BigDecimal[] t = totals.getOrDefault(currency, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                BigDecimal expected = expected(currency, before, acknowledgedByCurrency, probes);
                ok &= t[0].compareTo(t[1]) == 0 && t[0].compareTo(expected) == 0;
            }
            if (!ok) {
                Thread.sleep(100);
            }
        }
        for (String currency : currencies) {
            BigDecimal[] t = totals.getOrDefault(currency, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            BigDecimal expected = expected(currency, before, acknowledgedByCurrency, probes);
            boolean good = t[0].compareTo(t[1]) == 0 && t[0].compareTo(expected) == 0;
            System.out.printf("books %s: debits %s, credits %s; expected %s before the run + acknowledged %d transfers"
                            + " = %s -> %s%n", currency, t[0].toPlainString(), t[1].toPlainString(),
                    before.getOrDefault(currency, ZEROS)[0].toPlainString(), acknowledgedByCurrency.get(currency).get(),
                    expected.toPlainString(), good ? "ok" : "MISMATCH");
        }
        System.out.printf("read models caught up %d ms after the load ended%n", (System.nanoTime() - started) / 1_000_000);
        return ok;
    }

    private BigDecimal expected(String currency, Map<String, BigDecimal[]> before, Map<String, AtomicLong> acknowledged,
                                BigDecimal probes) {
        BigDecimal sum = new BigDecimal(amount).multiply(BigDecimal.valueOf(acknowledged.get(currency).get()))
                .add(before.getOrDefault(currency, ZEROS)[0]);
        return currency.equals(currencies.get(0)) ? sum.add(probes) : sum;
    }

    private static final BigDecimal[] ZEROS = {BigDecimal.ZERO, BigDecimal.ZERO};

    /** This run's accounts: ids carry the run, so runs can share a tenant. */
    private String account(String currency, int index) {
        return "a-" + run + "-" + currency + "-" + index;
    }

    static Duration parse(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
