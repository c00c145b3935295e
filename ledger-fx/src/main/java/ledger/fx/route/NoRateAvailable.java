package ledger.fx.route;

import ledger.fx.FxRejection;
import ledger.fx.FxRejectionCode;

/** No provider of the amount's tier gave a usable rate; the decision says what each did. */
public final class NoRateAvailable extends FxRejection {
    private final RoutingDecision decision;

    public NoRateAvailable(RoutingDecision decision) {
        super(FxRejectionCode.RATE_UNAVAILABLE, "no rate for " + decision.pair() + ": " + decision.outcomes().stream()
                .map(o -> o.provider() + " " + o.outcome().wire())
                .reduce((a, b) -> a + ", " + b).orElse("no provider"));
        this.decision = decision;
    }

    public RoutingDecision decision() {
        return decision;
    }
}
