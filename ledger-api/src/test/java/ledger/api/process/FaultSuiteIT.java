package ledger.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import ledger.api.LedgerClient;
import ledger.api.TestFiles;
import ledger.audit.verify.ExportSummary;
import ledger.audit.verify.ExportVerifier;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.grpc.v1.LedgerGrpc;
import ledger.grpc.v1.NewTransfer;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.SubmitTransfersResponse;
import ledger.grpc.v1.TransferResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault suite: the service runs as a process of its own and is killed with SIGKILL at random
 * moments under load, alternately the JVM alone and the JVM with its PostgreSQL, then started again
 * with its usual command. Clients post single transfers and pending transfers (3 s timeouts) over
 * REST and batches with a linked pair over gRPC, each with an idempotency key. After every restart:
 * every acknowledged request is there exactly once and its key replays; a request whose answer was
 * lost is there entirely or not at all (a linked pair both or neither), and sent again it is applied
 * at most once; the posted balance is the sum of what was acknowledged and the trial balance
 * balances. At the end pending transfers have expired and the tenant's audit export verifies.
 *
 * <p>{@code -Dfault.rounds=N} kills (default 2, CI's short run); the full run is 10 or more:
 * {@code ./mvnw -pl ledger-api verify -Dtest=FaultSuiteIT -Dfault.rounds=10 -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints runs, kills, acknowledged, resolved and lost (which must be 0).
 */
class FaultSuiteIT {
    private static final int ROUNDS = Integer.getInteger("fault.rounds", 2);
    private static final int CLIENTS = 4;
    private static final long PENDING_TIMEOUT_SECONDS = 3;

    private final Path root = Path.of("target", "fault-suite-" + UUID.randomUUID().toString().substring(0, 8));
    private final Path dataDir = root.resolve("data");
    private ServiceProcess service;

    /** One request: a transfer, or (chain != null) one transfer of a linked pair sent in a gRPC batch. */
    private record Sent(String id, String key, long cents, String kind, String chain) {
        String amount() {
            return BigDecimal.valueOf(cents, 2).toPlainString();
        }

        boolean pending() {
            return kind.equals("pending");
        }

        /** The order it was made in: "f-100" follows "f-99", though it sorts before it as text. */
        long number() {
            return Long.parseLong(id.substring(id.indexOf('-') + 1));
        }
    }

    private final Map<String, Sent> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Sent> unknown = new ConcurrentHashMap<>();
    private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());

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
    void killedAtRandomMomentsTheServiceLosesNothingAcknowledged() throws Exception {
        long seed = Long.getLong("fault.seed", System.nanoTime());
        System.out.println("fault suite: seed " + seed + " (-Dfault.seed=" + seed + " replays the kill moments)");
        Random random = new Random(seed);
        int[] ports = ServiceProcess.freePorts();
        service = ServiceProcess.start(dataDir, ports[0], ports[1]);
        LedgerClient operator = new LedgerClient(ports[0], ServiceProcess.OPERATOR_KEY);
        LedgerClient c = operator.createTenant("faults");
        assertThat(c.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(c.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);

        AtomicLong next = new AtomicLong();
        int killsJvm = 0;
        int killsJvmAndPostgres = 0;
        long resolved = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            ManagedChannel channel = channel(ports[1]);
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int client = t;
                Thread thread = new Thread(() -> drive(client, c, channel, next, running));
                thread.start();
                clients.add(thread);
            }
            Thread.sleep(1_000 + random.nextInt(3_000));
            boolean alsoPostgres = round % 2 == 0;
            if (alsoPostgres) {
                service.killJvmAndPostgres();
                killsJvmAndPostgres++;
            } else {
                service.killJvm();
                killsJvm++;
            }
            running.set(false);
            for (Thread thread : clients) {
                thread.join(60_000);
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

            service = ServiceProcess.start(dataDir, ports[0], ports[1]); // the usual start command, nothing else
            resolved += verify(c, ports[1]);
        }

        // pending transfers expire, also those whose deadline passed while the service was down
        for (Sent sent : acknowledged.values()) {
            if (sent.pending()) {
                c.awaitExpiry(sent.id());
            }
        }
        assertThat(c.get("/v1/transfers/" + anyPending()).json().path("status").asText()).isEqualTo("EXPIRED");
        String publicKey = c.get("/v1/audit/public-key").json().get("publicKey").asText();
        String export = c.get("/v1/audit/export").body();
        ExportSummary summary = new ExportVerifier(VerifyingKey.fromBase64(publicKey))
                .verify(new java.io.ByteArrayInputStream(export.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(summary).isNotNull();

        long lost = acknowledged.values().stream().filter(s -> status(c, s.id()) != 200).count();
        System.out.printf("fault suite: runs %d, kills %d (JVM alone %d, JVM with PostgreSQL %d), acknowledged %d,"
                        + " unanswered then resolved %d, lost %d%n", ROUNDS, killsJvm + killsJvmAndPostgres, killsJvm,
                killsJvmAndPostgres, acknowledged.size(), resolved, lost);
        assertThat(wrong).as("no answer other than the expected ones").isEmpty();
        assertThat(lost).isZero();
    }

    private String anyPending() {
        return acknowledged.values().stream().filter(Sent::pending).findFirst().map(Sent::id)
                .orElseThrow(() -> new AssertionError("no pending transfer was acknowledged"));
    }

    // ---------------------------------------------------------------- load

    private void drive(int client, LedgerClient c, ManagedChannel channel, AtomicLong next, AtomicBoolean running) {
        LedgerGrpc.LedgerBlockingStub stub = stub(channel, c.apiKey());
        int i = 0;
        while (running.get()) {
            i++;
            try {
                if (client == 0 && i % 3 == 0) {
                    batch(stub, next);
                } else {
                    long n = next.incrementAndGet();
                    Sent sent = new Sent("f-" + n, "fk-" + n, 1 + n % 89, i % 5 == 0 ? "pending" : "single", null);
                    unknown.put(sent.id(), sent);
                    LedgerClient.Response r = rest(c, sent);
                    if (r.status() == 201) {
                        unknown.remove(sent.id());
                        acknowledged.put(sent.id(), sent);
                    } else if (r.status() != 503) {
                        wrong.add(sent.id() + ": " + r);
                    }
                }
            } catch (UncheckedIOException | StatusRuntimeException | IllegalStateException e) {
                // the service died under the request: its outcome is unknown (resolved after the restart)
                ServiceProcess.sleep(100);
            }
        }
    }

    private static LedgerClient.Response rest(LedgerClient c, Sent sent) {
        String pending = sent.pending() ? ",\"pending\":true,\"timeoutSeconds\":" + PENDING_TIMEOUT_SECONDS : "";
        return c.post("/v1/transfers", sent.key(), "{\"id\":\"" + sent.id() + "\",\"debitAccount\":\"cash\","
                + "\"creditAccount\":\"wallet\",\"amount\":\"" + sent.amount() + "\",\"currency\":\"EUR\"" + pending + "}");
    }

    /** A gRPC batch of 6: four single transfers and a linked pair. */
    private void batch(LedgerGrpc.LedgerBlockingStub stub, AtomicLong next) {
        List<Sent> sent = new ArrayList<>();
        String chain = null;
        for (int j = 0; j < 6; j++) {
            long n = next.incrementAndGet();
            if (j == 4) {
                chain = "chain-" + n;
            }
            sent.add(new Sent("f-" + n, "fk-" + n, 1 + n % 89, "batch", j >= 4 ? chain : null));
        }
        sent.forEach(s -> unknown.put(s.id(), s));
        SubmitTransfersResponse response = stub.withDeadlineAfter(30, TimeUnit.SECONDS).submitTransfers(request(sent));
        for (TransferResult result : response.getResultsList()) {
            Sent s = sent.get(result.getIndex());
            if (result.getOk()) {
                unknown.remove(s.id());
                acknowledged.put(s.id(), s);
            } else if (!result.getCode().equals("database_unavailable")) {
                wrong.add(s.id() + ": " + result);
            }
        }
    }

    private static SubmitTransfersRequest request(List<Sent> sent) {
        SubmitTransfersRequest.Builder request = SubmitTransfersRequest.newBuilder();
        for (int j = 0; j < sent.size(); j++) {
            Sent s = sent.get(j);
            boolean linkedToNext = s.chain() != null && j + 1 < sent.size() && s.chain().equals(sent.get(j + 1).chain());
            request.addTransfers(NewTransfer.newBuilder().setId(s.id()).setDebitAccount("cash").setCreditAccount("wallet")
                    .setAmount(s.amount()).setCurrency("EUR").setIdempotencyKey(s.key()).setLinked(linkedToNext));
        }
        return request.build();
    }

    // ---------------------------------------------------------------- checks after a restart

    /** Checks the ledger after a restart; returns how many unanswered requests were resolved. */
    private long verify(LedgerClient c, int grpcPort) throws InterruptedException {
        for (Sent sent : acknowledged.values()) {
            assertThat(status(c, sent.id())).as("acknowledged %s is there after the restart", sent.id()).isEqualTo(200);
        }
        // unanswered: all or nothing; sent again with its key, applied at most once
        Map<String, List<Sent>> chains = new ConcurrentHashMap<>();
        List<Sent> lone = new ArrayList<>();
        for (Sent sent : List.copyOf(unknown.values())) {
            if (sent.chain() != null) {
                chains.computeIfAbsent(sent.chain(), k -> new ArrayList<>()).add(sent);
            } else {
                lone.add(sent);
            }
        }
        long resolved = 0;
        ManagedChannel channel = channel(grpcPort);
        try {
            LedgerGrpc.LedgerBlockingStub stub = stub(channel, c.apiKey());
            for (List<Sent> chain : chains.values()) {
                // sent again in the order it was sent: which transfer carries "linked" is part of each
                // one's request hash, so the pair in another order is another request (idempotency_conflict)
                chain.sort(java.util.Comparator.comparingLong(Sent::number));
                java.util.Set<Integer> present = new java.util.HashSet<>();
                chain.forEach(s -> present.add(status(c, s.id())));
                assertThat(present).as("a linked pair is applied entirely or not at all: %s", chain)
                        .isIn(java.util.Set.of(200), java.util.Set.of(404));
                if (chain.size() == 2) {
                    SubmitTransfersResponse again = stub.submitTransfers(request(chain));
                    for (TransferResult result : again.getResultsList()) {
                        assertThat(result.getOk()).as("%s sent again (it was %s before): %s", chain, present, result)
                                .isTrue();
                        assertThat(result.getReplayed()).as("a pair applied before replays: %s", result)
                                .isEqualTo(present.contains(200));
                    }
                    chain.forEach(this::resolvedOne);
                    resolved += chain.size();
                } else {
                    // the other half of the pair was acknowledged: then this one was applied with it
                    chain.forEach(s -> assertThat(status(c, s.id())).isEqualTo(200));
                    chain.forEach(this::resolvedOne);
                }
            }
            for (Sent sent : lone) {
                int before = status(c, sent.id());
                LedgerClient.Response again = sent.kind().equals("batch")
                        ? grpcAgain(stub, sent) : ServiceProcess.retrying(() -> rest(c, sent));
                assertThat(again.status()).as("%s sent again (it was %s before)", sent.id(), before).isEqualTo(201);
                if (before == 200) {
                    assertThat(again.header("Idempotent-Replayed")).as(sent.id()).isEqualTo("true");
                }
                resolvedOne(sent);
                resolved++;
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // every acknowledged key replays and changes nothing: sent again as it was sent, a transfer of a
        // batch over gRPC (a linked pair together, in its order: its "linked" marks are in the request hashes)
        List<Sent> sample = new ArrayList<>(acknowledged.values());
        Collections.shuffle(sample, new Random(sample.size()));
        ManagedChannel replays = channel(grpcPort);
        try {
            LedgerGrpc.LedgerBlockingStub stub = stub(replays, c.apiKey());
            for (Sent sent : sample.subList(0, Math.min(50, sample.size()))) {
                if (!sent.kind().equals("batch")) {
                    LedgerClient.Response again = ServiceProcess.retrying(() -> rest(c, sent));
                    assertThat(again.status()).as(again.toString()).isEqualTo(201);
                    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
                    continue;
                }
                List<Sent> unit = sent.chain() == null ? List.of(sent) : acknowledged.values().stream()
                        .filter(s -> sent.chain().equals(s.chain()))
                        .sorted(java.util.Comparator.comparingLong(Sent::number)).toList();
                assertThat(unit).as("both transfers of %s's pair were acknowledged", sent.id()).hasSize(
                        sent.chain() == null ? 1 : 2);
                for (TransferResult result : stub.submitTransfers(request(unit)).getResultsList()) {
                    assertThat(result.getOk() && result.getReplayed()).as("%s sent again: %s", unit, result).isTrue();
                }
            }
        } finally {
            replays.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        long posted = acknowledged.values().stream().filter(s -> !s.pending()).mapToLong(Sent::cents).sum();
        LedgerClient.Response wallet = ServiceProcess.retrying(() -> c.account("wallet"));
        assertThat(new BigDecimal(wallet.json().get("creditsPosted").asText()))
                .as("posted to the wallet: each acknowledged transfer once").isEqualByComparingTo(BigDecimal.valueOf(posted, 2));
        LedgerClient.Response trial = c.get("/v1/reports/trial-balance?currency=EUR");
        assertThat(trial.json().get("totals").get(0).get("balanced").asBoolean()).as(trial.toString()).isTrue();
        return resolved;
    }

    private LedgerClient.Response grpcAgain(LedgerGrpc.LedgerBlockingStub stub, Sent sent) {
        TransferResult result = stub.submitTransfers(request(List.of(sent))).getResults(0);
        return new LedgerClient.Response(result.getOk() ? 201 : 409, result.toString(),
                result.getReplayed() ? Map.of("Idempotent-Replayed", List.of("true")) : Map.of());
    }

    private void resolvedOne(Sent sent) {
        unknown.remove(sent.id());
        acknowledged.put(sent.id(), sent);
    }

    private static int status(LedgerClient c, String id) {
        return ServiceProcess.retrying(() -> c.get("/v1/transfers/" + id)).status();
    }


    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static LedgerGrpc.LedgerBlockingStub stub(ManagedChannel channel, String apiKey) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        return LedgerGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

}
