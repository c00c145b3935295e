package ledger.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Runs a body on several threads at once and waits for all of them; a failure in any fails the caller. */
public final class TestThreads {
    private TestThreads() {
    }

    /** Runs {@code body} with each thread's index 0..threads-1; waits at most {@code minutesMax} for all. */
    public static void run(int threads, long minutesMax, IntConsumer body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>(threads);
            for (int thread = 0; thread < threads; thread++) {
                int me = thread;
                done.add(pool.submit(() -> body.accept(me)));
            }
            for (Future<?> f : done) {
                f.get(minutesMax, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
