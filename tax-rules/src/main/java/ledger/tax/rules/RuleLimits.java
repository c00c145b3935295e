package ledger.tax.rules;

import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Every bound the language puts on a rule file and on one evaluation (docs/tax-rules.md, "Safety").
 *
 * @param fileBytesMax        largest rule file accepted
 * @param declarationsMax     enums, inputs, constants, tables and values in one file
 * @param rulesPerValueMax    {@code rule} clauses in one value
 * @param rowsPerTableMax     rows in one bracket table
 * @param nestingMax          nesting of parentheses, {@code if}, unary operators and calls in one statement
 * @param expressionDepthMax  depth of one expression tree (a chain {@code a + b + c} counts one level per operator)
 * @param stepsMax            expression nodes evaluated in one evaluation
 * @param evaluationDepthMax  nested evaluations at once (expressions within values within values)
 * @param integerDigitsMax    digits before the decimal point of any number; 24 allows 10^24 - 1
 * @param scaleMax            digits after the decimal point of any number
 * @param precisionDigits     significant digits kept by division (and any result longer than that)
 */
public record RuleLimits(
        int fileBytesMax,
        int declarationsMax,
        int rulesPerValueMax,
        int rowsPerTableMax,
        int nestingMax,
        int expressionDepthMax,
        int stepsMax,
        int evaluationDepthMax,
        int integerDigitsMax,
        int scaleMax,
        int precisionDigits) {

    public static final RuleLimits DEFAULT = new RuleLimits(
            512 * 1024, 2_000, 200, 100, 64, 96, 200_000, 400, 24, 40, 34);

    public MathContext mathContext() {
        return new MathContext(precisionDigits, RoundingMode.HALF_EVEN);
    }

    public RuleLimits withStepsMax(int steps) {
        return new RuleLimits(fileBytesMax, declarationsMax, rulesPerValueMax, rowsPerTableMax, nestingMax,
                expressionDepthMax, steps, evaluationDepthMax, integerDigitsMax, scaleMax, precisionDigits);
    }
}
