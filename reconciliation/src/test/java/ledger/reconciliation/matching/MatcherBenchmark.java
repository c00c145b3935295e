package ledger.reconciliation.matching;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Times the 100k × 100k book of {@link HundredThousandTest}: arrivals one at a time in a shuffled
 * order, then one clock tick. Prints the time, the heap the JVM may use, and the heap the open
 * matcher holds. Run it (docs/reconciliation.md, "Performance") with
 * {@code java -Xmx512m -cp ... ledger.reconciliation.matching.MatcherBenchmark [rounds]}.
 */
public final class MatcherBenchmark {
    private MatcherBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int round = 1; round <= rounds; round++) {
            SyntheticBook book = HundredThousandTest.book(new Random(round));
            List<MatchItem> arrivals = book.shuffled(new Random(round + 1000L));
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            Matcher m = new Matcher(MatcherScenarioTest.rules().withKnownAccounts(null), Instant.parse("2026-01-01T00:00:00Z"));
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            for (MatchItem item : arrivals) {
                m.arrive(item);
            }
            long arrivedNs = System.nanoTime() - started;
            m.advanceTo(Instant.parse("2026-03-01T00:00:00Z"));
            long totalNs = System.nanoTime() - started;
            long cpuNs = threads.getCurrentThreadCpuTime() - cpuStarted;
            System.gc();
            long held = memory.getHeapMemoryUsage().getUsed() - before;
            System.out.printf("round %d: %d items, arrivals %d ms (%.1f µs/item), with clock %d ms wall / %d ms cpu of this thread,"
                            + " matcher holds ~%d MB, max heap %d MB, outcomes %d%n",
                    round, arrivals.size(), arrivedNs / 1_000_000, arrivedNs / 1000.0 / arrivals.size(), totalNs / 1_000_000,
                    cpuNs / 1_000_000,
                    held / (1024 * 1024), Runtime.getRuntime().maxMemory() / (1024 * 1024), m.outcomes().size());
        }
    }
}
