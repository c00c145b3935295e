package ledger.domain.model;

/**
 * Assertions for conditions that can only fail through a programming error. They are never
 * caught: a broken invariant in a ledger must stop the unit of work, not be answered politely.
 */
public final class Invariants {
    private Invariants() {
    }

    public static void check(boolean condition, String why) {
        if (!condition) {
            throw new InvariantViolation(why);
        }
    }

    public static final class InvariantViolation extends Error {
        public InvariantViolation(String why) {
            super("invariant violated: " + why);
        }
    }
}
