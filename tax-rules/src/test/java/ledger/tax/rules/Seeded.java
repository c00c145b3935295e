package ledger.tax.rules;

import java.util.Random;
import java.util.function.Consumer;

/**
 * The project's seeded generator for property tests (no property-testing library): prints its seed so a failure
 * can be replayed with {@code -Dtax.seed=<seed>}.
 */
public final class Seeded {

    private Seeded() {
    }

    public static void run(String property, int cases, Consumer<Random> body) {
        long seed = Long.getLong("tax.seed", System.nanoTime());
        System.out.println(property + ": seed " + seed + " (replay with -Dtax.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int i = 0; i < cases; i++) {
            try {
                body.accept(random);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + " failed at case " + i + " with seed " + seed + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** A whole amount in [0, max]. */
    public static long upTo(Random random, long max) {
        return (long) (random.nextDouble() * (max + 1));
    }
}
