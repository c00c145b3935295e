package ledger.loadgen;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import ledger.grpc.v1.CreateSettlementRequest;
import ledger.grpc.v1.GetSettlementRequest;
import ledger.grpc.v1.LedgerGrpc;
import ledger.grpc.v1.Settlement;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The settlement scenario: each client sells {@code amount} of the first currency for the second
 * (a {@code CreateSettlement} over gRPC with a new quote), then reads the settlement until it is no
 * longer PENDING, and starts the next. It reads with {@code wait_seconds} ({@link #WAIT_SECONDS}):
 * the service answers as soon as the settlement ends, so a client sends about one read per
 * settlement instead of polling. The figure is settlements that COMPLETED within the measured time,
 * per second, and the time from the request to the read that showed the final status.
 *
 * <p>The books: each currency balances, the source currency's FX position account was credited
 * exactly the completed settlements' source amounts, and the destination currency's FX position
 * account was debited exactly their values at mid (both as the service reported them): a
 * settlement that did not complete left nothing behind.
 */
final class SettlementLoad {
    /**
     * How long one read waits in the service for the settlement to end. Polling instead cost the
     * service most of its CPU: at 10 ms, 32 waiting clients sent about 3,200 reads a second, some
     * 600 per settlement; at 50 ms still about 20 reads and 40 transactions per settlement.
     */
    static final int WAIT_SECONDS = 5;
    /** The pause before reading again a settlement not found yet (it is, once its creation was answered). */
    static final long POLL_MS = 50;
    /** The longest a client waits for one settlement (its deadline in the service is shorter). */
    static final long WAIT_MS_MAX = 120_000;
    private static final long DEADLINE_SECONDS = 60;

    /** What the clients achieved. */
    record Result(long completed, long completedMeasured, Histogram completion, Map<String, LongAdder> ended,
                  BigDecimal sourceCompleted, BigDecimal valueAtMidCompleted) {
    }

    private final String run;
    private final String from;
    private final String to;
    private final String amount;
    private final int accountsPerCurrency;
    private final IntFunction<String> sourceAccount;
    private final IntFunction<String> destinationAccount;

    SettlementLoad(String run, String from, String to, String amount, int accountsPerCurrency,
                   IntFunction<String> sourceAccount, IntFunction<String> destinationAccount) {
        this.run = run;
        this.from = from;
        this.to = to;
        this.amount = amount;
        this.accountsPerCurrency = accountsPerCurrency;
        this.sourceAccount = sourceAccount;
        this.destinationAccount = destinationAccount;
    }

    static LedgerGrpc.LedgerBlockingStub stub(ManagedChannel channel, String apiKey) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        return LedgerGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    Result drive(IntFunction<LedgerGrpc.LedgerBlockingStub> stubs, int clients, long runSeed, long measureFrom,
                 long end) throws Exception {
        Recorder completion = new Recorder(3);
        Map<String, LongAdder> ended = new ConcurrentHashMap<>();
        LongAdder completed = new LongAdder();
        LongAdder completedMeasured = new LongAdder();
        BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO};
        List<Callable<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(() -> {
                LedgerGrpc.LedgerBlockingStub stub = stubs.apply(client);
                SplittableRandom random = new SplittableRandom(runSeed + client);
                BigDecimal source = BigDecimal.ZERO;
                BigDecimal atMid = BigDecimal.ZERO;
                long n = 0;
                while (System.nanoTime() < end) {
                    String id = run + "-s" + client + "-" + n++;
                    long t0 = System.nanoTime();
                    Settlement settled = settle(stub, id, sourceAccount.apply(random.nextInt(accountsPerCurrency)),
                            destinationAccount.apply(random.nextInt(accountsPerCurrency)));
                    long t1 = System.nanoTime();
                    String status = settled == null ? "not answered" : settled.getStatus();
                    ended.computeIfAbsent(status.equals("COMPLETED") || settled == null ? status
                            : status + " " + settled.getReasonCode(), k -> new LongAdder()).increment();
                    if ("COMPLETED".equals(status)) {
                        completed.increment();
                        source = source.add(new BigDecimal(settled.getSourceAmount()));
                        atMid = atMid.add(new BigDecimal(settled.getValueAtMid()));
                        if (t0 >= measureFrom && t1 <= end) {
                            completedMeasured.increment();
                            completion.recordValue(Math.max(1, (t1 - t0) / 1_000));
                        }
                    }
                }
                synchronized (sums) {
                    sums[0] = sums[0].add(source);
                    sums[1] = sums[1].add(atMid);
                }
                return null;
            });
        }
        running.add(LoadGenerator.measuredTimeMarks(measureFrom, end));
        LoadGenerator.runTogether(running);
        return new Result(completed.sum(), completedMeasured.sum(), completion.getIntervalHistogram(), ended,
                sums[0], sums[1]);
    }

    /** One settlement from request to its final status; null if the service did not answer in time. */
    private Settlement settle(LedgerGrpc.LedgerBlockingStub stub, String id, String source, String destination)
            throws InterruptedException {
        Settlement settlement;
        try {
            settlement = stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).createSettlement(
                    CreateSettlementRequest.newBuilder().setId(id).setIdempotencyKey(id).setSourceAccount(source)
                            .setDestinationAccount(destination).setSourceAmount(amount).build());
        } catch (StatusRuntimeException refused) {
            return Settlement.newBuilder().setStatus("REFUSED").setReasonCode(refused.getStatus().getCode().name())
                    .build();
        }
        long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS_MAX);
        while ("PENDING".equals(settlement.getStatus()) && System.nanoTime() < waitUntil) {
            try {
                settlement = stub.withDeadlineAfter(DEADLINE_SECONDS + WAIT_SECONDS, TimeUnit.SECONDS)
                        .getSettlement(GetSettlementRequest.newBuilder().setSettlementId(id)
                                .setWaitSeconds(WAIT_SECONDS).build());
            } catch (StatusRuntimeException notYet) {
                if (notYet.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
                    throw notYet;
                }
                Thread.sleep(POLL_MS);
            }
        }
        return "PENDING".equals(settlement.getStatus()) ? null : settlement;
    }

    /** Settlements/s, completion latency and how the others ended. */
    static void report(Result result, double seconds) {
        Histogram h = result.completion();
        System.out.printf("settlements/s %.1f (completed %d in the measured time; %d in all)%n",
                result.completedMeasured() / seconds, result.completedMeasured(), result.completed());
        System.out.printf("latency ms from request to COMPLETED: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        Map<String, Long> others = new TreeMap<>();
        result.ended().forEach((status, count) -> {
            if (!status.equals("COMPLETED")) {
                others.put(status, count.sum());
            }
        });
        System.out.println("refusals " + (others.isEmpty() ? "none" : others));
    }

    /**
     * Once the settlement view and the balances show every settlement: each currency balances, and
     * the FX position accounts hold exactly the completed settlements.
     */
    boolean checkBooks(RestClient admin, Result result) throws InterruptedException {
        String sourcePosition = "fx.position." + from;
        String destinationPosition = "fx.position." + to;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean ok = false;
        Map<String, BigDecimal[]> totals = Map.of();
        BigDecimal credited = null;
        BigDecimal debited = null;
        while (!ok && System.nanoTime() < deadline) {
            totals = admin.trialBalanceTotals();
            credited = result.completed() == 0 ? BigDecimal.ZERO : admin.postedCredits(sourcePosition);
            debited = result.completed() == 0 ? BigDecimal.ZERO : admin.postedDebits(destinationPosition);
            ok = balanced(totals, from) && balanced(totals, to)
                    && credited.compareTo(result.sourceCompleted()) == 0
                    && debited.compareTo(result.valueAtMidCompleted()) == 0;
            if (!ok) {
                Thread.sleep(100);
            }
        }
        for (String currency : List.of(from, to)) {
            BigDecimal[] t = totals.getOrDefault(currency, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            System.out.printf("books %s: debits %s, credits %s -> %s%n", currency, t[0].toPlainString(),
                    t[1].toPlainString(), balanced(totals, currency) ? "ok" : "MISMATCH");
        }
        System.out.printf("books %s credited %s, completed settlements' source amounts %s -> %s%n", sourcePosition,
                credited, result.sourceCompleted().toPlainString(),
                credited != null && credited.compareTo(result.sourceCompleted()) == 0 ? "ok" : "MISMATCH");
        System.out.printf("books %s debited %s, completed settlements' values at mid %s -> %s%n", destinationPosition,
                debited, result.valueAtMidCompleted().toPlainString(),
                debited != null && debited.compareTo(result.valueAtMidCompleted()) == 0 ? "ok" : "MISMATCH");
        return ok;
    }

    private static boolean balanced(Map<String, BigDecimal[]> totals, String currency) {
        BigDecimal[] t = totals.get(currency);
        return t == null || t[0].compareTo(t[1]) == 0;
    }
}
