package ledger.tax.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A loaded, checked rule file, immutable and safe to share between threads. {@link #evaluate(Map)} checks the
 * inputs, computes every output and returns them with their explanation (docs/tax-rules.md).
 */
public final class RulePack {

    private final CompiledPack compiled;
    private final PackId id;
    private final RuleLimits limits;

    RulePack(CompiledPack compiled, PackId id, RuleLimits limits) {
        this.compiled = compiled;
        this.id = id;
        this.limits = limits;
    }

    public PackId id() {
        return id;
    }

    /** Declared inputs and their types, in declaration order. */
    public Map<String, Type> inputTypes() {
        Map<String, Type> types = new LinkedHashMap<>();
        compiled.inputs().forEach((name, symbol) -> types.put(name, symbol.type()));
        return types;
    }

    /** Declared inputs without a default, in declaration order: a caller must give each of them. */
    public List<String> requiredInputs() {
        List<String> required = new ArrayList<>();
        compiled.inputs().forEach((name, symbol) -> {
            if (((Ast.InputDecl) symbol.decl()).fallback() == null) {
                required.add(name);
            }
        });
        return List.copyOf(required);
    }

    /** Declared outputs and their types, in declaration order. */
    public Map<String, Type> outputTypes() {
        Map<String, Type> types = new LinkedHashMap<>();
        compiled.outputs().forEach(symbol -> types.put(symbol.name(), symbol.type()));
        return types;
    }

    /**
     * Evaluates every output for these inputs. Inputs with a declared default may be left out; any other missing,
     * unknown or ill-typed input, a value outside its declared range, a money amount with more decimals than its
     * currency has, a limit reached or an output left unrounded stops the evaluation with a
     * {@link RuleEvaluationException} that says which and why.
     */
    public Evaluation evaluate(Map<String, Value> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        Evaluator evaluator = new Evaluator(compiled, inputs, limits);
        checkInputs(inputs, evaluator);
        Map<String, Value> outputs = new LinkedHashMap<>();
        List<Explanation> roots = new ArrayList<>();
        for (Checker.Symbol output : compiled.outputs()) {
            Explanation explanation = evaluator.named(output.name(), output.decl().at());
            outputs.put(output.name(), checkOutput(output, explanation.value()));
            roots.add(explanation);
        }
        return new Evaluation(id, outputs, roots, evaluator.steps());
    }

    private void checkInputs(Map<String, Value> inputs, Evaluator evaluator) {
        Map<String, Checker.Symbol> declared = compiled.inputs();
        for (String name : inputs.keySet()) {
            if (!declared.containsKey(name)) {
                throw new RuleEvaluationException(null, "pack " + id.name() + " has no input '" + name
                        + "' (inputs: " + String.join(", ", declared.keySet()) + ")");
            }
        }
        for (Checker.Symbol symbol : declared.values()) {
            Ast.InputDecl decl = (Ast.InputDecl) symbol.decl();
            Value value = inputs.get(symbol.name());
            if (value == null) {
                if (decl.fallback() == null) {
                    throw new RuleEvaluationException(decl.at(), "missing input '" + symbol.name() + "' of type "
                            + symbol.type());
                }
                continue;
            }
            checkInput(symbol, decl, value, evaluator);
        }
    }

    private void checkInput(Checker.Symbol symbol, Ast.InputDecl decl, Value value, Evaluator evaluator) {
        String name = symbol.name();
        if (!Checker.assignable(value.type(), symbol.type())) {
            throw new RuleEvaluationException(decl.at(), "input '" + name + "' must be " + symbol.type() + ", got "
                    + value.type() + " (" + value + ")");
        }
        if (value instanceof Value.EnumMember member
                && !compiled.enums().get(member.enumName()).contains(member.member())) {
            throw new RuleEvaluationException(decl.at(), "input '" + name + "': enum " + member.enumName()
                    + " has no member '" + member.member() + "' (members: "
                    + String.join(", ", compiled.enums().get(member.enumName())) + ")");
        }
        if (value instanceof Value.Money money) {
            int digits = Currency.getInstance(money.currency()).getDefaultFractionDigits();
            if (money.amount().stripTrailingZeros().scale() > digits) {
                throw new RuleEvaluationException(decl.at(), "input '" + name + "' = " + money + " has more decimals than "
                        + money.currency() + " allows (" + digits + ")");
            }
        }
        if (value.type().isNumeric()) {
            try {
                evaluator.checked(Evaluator.number(value), decl.at());
            } catch (RuleLimitException e) {
                throw new RuleLimitException(decl.at(), "input '" + name + "': " + e.getMessage()
                        .substring(e.getMessage().indexOf(": ") + 2));
            }
        }
        if (decl.low() != null) {
            Value low = evaluator.constantExpression(decl.low());
            Value high = evaluator.constantExpression(decl.high());
            if (outside(value, low, high)) {
                throw new RuleEvaluationException(decl.at(), "input '" + name + "' = " + value + " is outside "
                        + low + " .. " + high);
            }
        }
    }

    private static boolean outside(Value value, Value low, Value high) {
        if (value instanceof Value.Date d) {
            return d.value().isBefore(((Value.Date) low).value()) || d.value().isAfter(((Value.Date) high).value());
        }
        BigDecimal x = Evaluator.number(value);
        return x.compareTo(Evaluator.number(low)) < 0 || x.compareTo(Evaluator.number(high)) > 0;
    }

    /** Money outputs carry their currency's minor unit: padded with zeros, never silently rounded. */
    private static Value checkOutput(Checker.Symbol output, Value value) {
        if (!(value instanceof Value.Money money)) {
            return value;
        }
        int digits = Currency.getInstance(money.currency()).getDefaultFractionDigits();
        BigDecimal amount = money.amount();
        if (amount.stripTrailingZeros().scale() > digits) {
            throw new RuleEvaluationException(output.decl().at(), "output '" + output.name() + "' = " + money
                    + " has more decimals than " + money.currency() + " allows (" + digits + "); round it explicitly");
        }
        return new Value.Money(amount.setScale(digits), money.currency());
    }

    /** Names of the enumerations and their members, for callers building inputs. */
    public Map<String, List<String>> enums() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        compiled.enums().forEach((name, members) -> result.put(name, List.copyOf(new TreeSet<>(members))));
        return result;
    }
}
