package ledger.fx.route;

/** What became of one provider in one routing decision; {@link #wire()} is the name in JSON. */
public enum Outcome {
    ANSWERED("answered"),
    TIMEOUT("timeout"),
    FAILED("failed"),
    STALE("stale"),
    CIRCUIT_OPEN("circuit-open"),
    QUOTA_EXHAUSTED("quota-exhausted");

    private final String wire;

    Outcome(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
