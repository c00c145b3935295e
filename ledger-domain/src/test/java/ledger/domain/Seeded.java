package ledger.domain;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeded random ("property") tests on plain JUnit: {@link #forAll} generates a sample from its own
 * {@link SplittableRandom} and checks it, {@code tries} times. Try {@code i} of a run uses seed
 * {@code base + i}; the base seed of every run is printed, and a failure names the seed of the
 * failing try and prints its whole sample. Replay exactly that try with
 * {@code -Dledger.seed=<seed> -Dledger.tries=1} (with {@code -Dtest=Class#method} to run one
 * property); {@code -Dledger.seed} alone replays a whole run. No shrinking: samples are printed
 * as generated.
 *
 * <p>The same pattern as audit-chain's test harness, kept separate so that this module's tests do
 * not depend on another module's test classes.
 */
public final class Seeded {
    public static final String SEED_PROPERTY = "ledger.seed";
    public static final String TRIES_PROPERTY = "ledger.tries";

    /** Builds one sample from the try's random source; must read nothing else that varies. */
    @FunctionalInterface
    public interface Generator<T> {
        T next(SplittableRandom random);
    }

    /** Checks one sample, like a JUnit test method. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T sample) throws Exception;
    }

    private Seeded() {
    }

    /** As {@link #forAll(String, int, Generator, Function, Check)}, printing a sample with {@code toString}. */
    public static <T> int forAll(String property, int tries, Generator<T> generator, Check<T> check) {
        return forAll(property, tries, generator, String::valueOf, check);
    }

    /**
     * Checks {@code tries} samples (or {@code -Dledger.tries}) of {@code generator}; {@code show}
     * renders a failing sample in the failure message. Returns how many tries ran, all passing.
     */
    public static <T> int forAll(String property, int tries, Generator<T> generator,
                                 Function<? super T, String> show, Check<T> check) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long base = fixed != null ? Long.parseLong(fixed.trim()) : new SplittableRandom().nextLong();
        int count = Integer.getInteger(TRIES_PROPERTY, tries);
        System.out.println("property \"" + property + "\": " + count + " tries, -D" + SEED_PROPERTY + "=" + base);
        for (int i = 0; i < count; i++) {
            long seed = base + i;
            T sample = generator.next(new SplittableRandom(seed));
            try {
                check.check(sample);
            } catch (Exception | AssertionError e) {
                String message = "property \"" + property + "\" failed on try " + (i + 1) + " of " + count
                        + " (seed " + seed + "); replay it with -D" + SEED_PROPERTY + "=" + seed + " -D"
                        + TRIES_PROPERTY + "=1\nsample:\n" + show.apply(sample) + "\nfailure: " + e;
                System.out.println(message);
                throw new AssertionError(message, e);
            }
        }
        return count;
    }

    /** Renders a list one element a line, numbered from 1: a readable failing sequence. */
    public static String numbered(List<?> items) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            out.append(String.format("%4d. %s%n", i + 1, items.get(i)));
        }
        return out.toString();
    }

    // ---- generators ----

    /** Uniform in [min, max], both inclusive. */
    public static int between(SplittableRandom r, int min, int max) {
        return r.nextInt(min, max + 1);
    }

    /** Uniform in [min, max], both inclusive ({@code max < Long.MAX_VALUE}). */
    public static long between(SplittableRandom r, long min, long max) {
        return r.nextLong(min, max + 1);
    }

    /**
     * In [min, max], both inclusive ({@code max < Long.MAX_VALUE}), biased as property-testing
     * libraries do: one in ten is an edge (a bound, next to a bound, or -1, 0, 1 when in range),
     * three in ten have a uniformly chosen number of digits (so small values turn up, not only
     * values of the range's own size), the rest are uniform.
     */
    public static long longIn(SplittableRandom r, long min, long max) {
        int mode = r.nextInt(10);
        if (mode == 0) {
            long[] edges = {min, max, min + 1, max - 1, -1, 0, 1};
            long edge = edges[r.nextInt(edges.length)];
            if (edge >= min && edge <= max) {
                return edge;
            }
        } else if (mode < 4) {
            int digits = r.nextInt(1, 19);
            long magnitude = r.nextLong(0, pow10(digits));
            long value = r.nextBoolean() ? magnitude : -magnitude;
            if (value >= min && value <= max) {
                return value;
            }
        }
        return between(r, min, max);
    }

    private static long pow10(int digits) {
        long p = 1;
        for (int i = 0; i < digits; i++) {
            p *= 10;
        }
        return p;
    }

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom r, T... values) {
        return values[r.nextInt(values.length)];
    }

    /** An index into {@code weights}, each chosen in proportion to its weight. */
    public static int weighted(SplittableRandom r, int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int roll = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
