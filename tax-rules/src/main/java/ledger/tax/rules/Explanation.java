package ledger.tax.rules;

import java.math.BigDecimal;
import java.util.List;

/**
 * How one value came about (docs/tax-rules.md, "Explanations"): its name and value, the rule (or bracket) that
 * produced it with its place in the rule file, and the explanations of the values it used. Inputs and constants
 * are leaves. A value used twice is the same object in both places.
 *
 * @param rule      the label of the winning rule; {@code "="} for a plain definition, {@code "otherwise"},
 *                  {@code "input"}, {@code "default"} for an input left out, or the table method
 * @param at        where that rule (or declaration) is written
 * @param bracket   for a table lookup, the bracket that applied; null otherwise
 * @param argument  for a table lookup, the amount it was applied to; null otherwise
 */
public record Explanation(String name, Kind kind, Type type, Value value, String description, String rule,
                          Location at, Bracket bracket, Value argument, List<Explanation> uses) {

    public enum Kind { INPUT, CONSTANT, VALUE, OUTPUT, TABLE }

    /**
     * The bracket of a table that applied.
     *
     * @param index  1-based row; for a marginal table the highest row reached (rows 1..index were taxed)
     * @param over   the amount the bracket starts above (exclusive), null for the first row
     * @param upTo   the amount the bracket ends at (inclusive), null for the last row
     */
    public record Bracket(String table, String method, int index, BigDecimal over, BigDecimal upTo, BigDecimal rate,
                          BigDecimal deduct, BigDecimal add) {
    }

    public Explanation {
        uses = List.copyOf(uses);
    }
}
