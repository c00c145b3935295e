package ledger.tax.rules;

/**
 * An evaluation that could not finish: a missing or ill-typed input, a limit reached, a division by zero,
 * no applicable rule. The message names the pack, the place in the rule file (when there is one) and why.
 */
public class RuleEvaluationException extends RuntimeException {

    private final transient Location at;

    public RuleEvaluationException(Location at, String message) {
        super(at == null ? message : at + ": " + message);
        this.at = at;
    }

    /** Where in the rule file evaluation stopped, or null for problems with the inputs as a whole. */
    public Location at() {
        return at;
    }
}
