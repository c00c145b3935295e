package ledger.tax.rules;

/** An evaluation stopped by one of the {@link RuleLimits}: steps, depth, magnitude or precision. */
public final class RuleLimitException extends RuleEvaluationException {

    public RuleLimitException(Location at, String message) {
        super(at, message);
    }
}
