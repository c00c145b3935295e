package ledger.tax.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates one rule pack for one set of inputs (docs/tax-rules.md, "Evaluation"). Named values are computed on
 * demand, once each; rules are tried from the highest priority down and the first whose condition holds gives the
 * value. Every expression node costs a step; steps, nesting, magnitude and scale are bounded by {@link RuleLimits}.
 * Not thread-safe: one evaluator per evaluation.
 */
final class Evaluator {

    private final CompiledPack pack;
    private final Map<String, Value> inputs;
    private final RuleLimits limits;
    private final MathContext mathContext;
    private final Map<String, Explanation> done = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final Deque<List<Explanation>> frames = new ArrayDeque<>();
    private int steps;
    private int depth;

    Evaluator(CompiledPack pack, Map<String, Value> inputs, RuleLimits limits) {
        this.pack = pack;
        this.inputs = inputs;
        this.limits = limits;
        this.mathContext = limits.mathContext();
        frames.push(new ArrayList<>());
    }

    int steps() {
        return steps;
    }

    /** Evaluates a named input, constant or value and returns its explanation. */
    Explanation named(String name, Location usedAt) {
        Explanation known = done.get(name);
        if (known != null) {
            use(known);
            return known;
        }
        Checker.Symbol symbol = pack.symbols().get(name);
        if (!inProgress.add(name)) {
            throw new RuleEvaluationException(usedAt, "'" + name + "' depends on itself");
        }
        enter(usedAt);
        frames.push(new ArrayList<>());
        Explanation explanation;
        try {
            explanation = switch (symbol.kind()) {
                case INPUT -> input(symbol);
                case CONST -> constant(symbol);
                case VALUE, OUTPUT -> value(symbol);
                case TABLE -> throw new IllegalStateException("tables are applied, not named");
            };
        } finally {
            frames.pop();
            inProgress.remove(name);
            depth--;
        }
        done.put(name, explanation);
        use(explanation);
        return explanation;
    }

    /** Evaluates an expression that uses constants only (bounds, defaults, bracket rows). */
    Value constantExpression(Ast.Expr expr) {
        frames.push(new ArrayList<>());
        try {
            return eval(expr);
        } finally {
            frames.pop();
        }
    }

    private void use(Explanation explanation) {
        List<Explanation> frame = frames.peek();
        for (Explanation e : frame) {
            if (e == explanation) {
                return;
            }
        }
        frame.add(explanation);
    }

    private List<Explanation> frame() {
        return frames.peek();
    }

    private Explanation input(Checker.Symbol symbol) {
        Ast.InputDecl decl = (Ast.InputDecl) symbol.decl();
        Value given = inputs.get(symbol.name());
        String rule = "input";
        if (given == null) {
            given = coerce(constantExpression(decl.fallback()), symbol.type());
            rule = "default";
        }
        return new Explanation(symbol.name(), Explanation.Kind.INPUT, symbol.type(), given, decl.doc(), rule,
                decl.at(), null, null, List.of());
    }

    private Explanation constant(Checker.Symbol symbol) {
        Ast.ConstDecl decl = (Ast.ConstDecl) symbol.decl();
        Value value = coerce(eval(decl.body()), symbol.type());
        return new Explanation(symbol.name(), Explanation.Kind.CONSTANT, symbol.type(), value, decl.doc(), "=",
                decl.at(), null, null, frame());
    }

    private Explanation value(Checker.Symbol symbol) {
        Ast.ValueDecl decl = (Ast.ValueDecl) symbol.decl();
        Explanation.Kind kind = decl.output() ? Explanation.Kind.OUTPUT : Explanation.Kind.VALUE;
        for (Ast.RuleClause rule : pack.rulesByPriority(decl)) {
            // Conditions that do not hold leave nothing in the explanation: only the winning rule's inputs count.
            frames.push(new ArrayList<>());
            boolean holds;
            try {
                holds = ((Value.Bool) eval(rule.condition())).value();
            } catch (RuntimeException e) {
                frames.pop();
                throw e;
            }
            if (!holds) {
                frames.pop();
                continue;
            }
            Value result;
            try {
                result = coerce(eval(rule.result()), symbol.type());
            } finally {
                List<Explanation> used = frames.pop();
                used.forEach(this::use);
            }
            return new Explanation(symbol.name(), kind, symbol.type(), result, decl.doc(), rule.label(), rule.at(),
                    null, null, frame());
        }
        if (decl.otherwise() == null) {
            throw new RuleEvaluationException(decl.at(), "no rule of '" + decl.name()
                    + "' applies and it has no 'otherwise'");
        }
        Value result = coerce(eval(decl.otherwise()), symbol.type());
        return new Explanation(symbol.name(), kind, symbol.type(), result, decl.doc(),
                decl.simple() ? "=" : "otherwise", decl.simple() ? decl.at() : decl.otherwise().at(), null, null, frame());
    }

    // ---- expressions --------------------------------------------------------------------------------------------

    private void enter(Location at) {
        steps++;
        if (steps > limits.stepsMax()) {
            throw new RuleLimitException(at, "evaluation took more than " + limits.stepsMax() + " steps");
        }
        depth++;
        if (depth > limits.evaluationDepthMax()) {
            throw new RuleLimitException(at, "evaluation nested deeper than " + limits.evaluationDepthMax() + " levels");
        }
    }

    Value eval(Ast.Expr expr) {
        enter(expr.at());
        try {
            return evalNode(expr);
        } finally {
            depth--;
        }
    }

    private Value evalNode(Ast.Expr expr) {
        if (expr instanceof Ast.Num n) {
            return n.integral() ? new Value.Int(n.value().toBigIntegerExact()) : new Value.Decimal(n.value());
        } else if (expr instanceof Ast.MoneyLit m) {
            return new Value.Money(m.amount(), m.currency());
        } else if (expr instanceof Ast.DateLit d) {
            return new Value.Date(d.value());
        } else if (expr instanceof Ast.BoolLit b) {
            return new Value.Bool(b.value());
        } else if (expr instanceof Ast.EnumLit e) {
            return new Value.EnumMember(e.enumName(), e.member());
        } else if (expr instanceof Ast.Ref r) {
            return named(r.name(), r.at()).value();
        } else if (expr instanceof Ast.Unary u) {
            Value operand = eval(u.operand());
            if (u.op().equals("not")) {
                return new Value.Bool(!((Value.Bool) operand).value());
            }
            return withNumber(operand, number(operand).negate(), u.at());
        } else if (expr instanceof Ast.Binary b) {
            return binary(b);
        } else if (expr instanceof Ast.If i) {
            return ((Value.Bool) eval(i.condition())).value() ? eval(i.whenTrue()) : eval(i.whenFalse());
        } else if (expr instanceof Ast.Round r) {
            return round(r);
        }
        return call((Ast.Call) expr);
    }

    private Value binary(Ast.Binary b) {
        String op = b.op();
        if (op.equals("and") || op.equals("or")) {
            boolean left = ((Value.Bool) eval(b.left())).value();
            if (op.equals("and") ? !left : left) {
                return new Value.Bool(left);
            }
            return new Value.Bool(((Value.Bool) eval(b.right())).value());
        }
        Value left = eval(b.left());
        Value right = eval(b.right());
        switch (op) {
            case "==":
                return new Value.Bool(same(left, right));
            case "!=":
                return new Value.Bool(!same(left, right));
            case "<":
                return new Value.Bool(compare(left, right) < 0);
            case "<=":
                return new Value.Bool(compare(left, right) <= 0);
            case ">":
                return new Value.Bool(compare(left, right) > 0);
            case ">=":
                return new Value.Bool(compare(left, right) >= 0);
            default:
                return arithmetic(b, left, right);
        }
    }

    private Value arithmetic(Ast.Binary b, Value left, Value right) {
        BigDecimal x = number(left);
        BigDecimal y = number(right);
        switch (b.op()) {
            case "+", "-" -> {
                BigDecimal sum = b.op().equals("+") ? x.add(y) : x.subtract(y);
                return combine(left, right, sum, b.at());
            }
            case "*" -> {
                return combine(left, right, x.multiply(y), b.at());
            }
            default -> {
                if (y.signum() == 0) {
                    throw new RuleEvaluationException(b.at(), "division by zero");
                }
                BigDecimal quotient = x.divide(y, mathContext);
                if (left instanceof Value.Money m && !(right instanceof Value.Money)) {
                    return new Value.Money(checked(quotient, b.at()), m.currency());
                }
                return new Value.Decimal(checked(quotient, b.at()));
            }
        }
    }

    /** Result kind of +, -, *: money if either side is money, integer if both are, decimal otherwise. */
    private Value combine(Value left, Value right, BigDecimal result, Location at) {
        BigDecimal checked = checked(result, at);
        if (left instanceof Value.Money m) {
            return new Value.Money(checked, m.currency());
        }
        if (right instanceof Value.Money m) {
            return new Value.Money(checked, m.currency());
        }
        if (left instanceof Value.Int && right instanceof Value.Int) {
            return new Value.Int(checked.toBigIntegerExact());
        }
        return new Value.Decimal(checked);
    }

    private Value withNumber(Value like, BigDecimal number, Location at) {
        BigDecimal checked = checked(number, at);
        if (like instanceof Value.Money m) {
            return new Value.Money(checked, m.currency());
        }
        if (like instanceof Value.Int) {
            return new Value.Int(checked.toBigIntegerExact());
        }
        return new Value.Decimal(checked);
    }

    /**
     * The bound on every number: at most {@code precisionDigits} significant digits (longer results are rounded
     * half-even, which only division produces in practice), at most {@code integerDigitsMax} digits before and
     * {@code scaleMax} after the point; beyond that the evaluation stops.
     */
    BigDecimal checked(BigDecimal value, Location at) {
        // Magnitude first, from precision and scale alone, so 1E+999999 is refused without being expanded.
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > limits.integerDigitsMax()) {
            throw new RuleLimitException(at, "number with " + integerDigits + " digits before the point exceeds the limit of "
                    + limits.integerDigitsMax());
        }
        BigDecimal x = value.precision() > limits.precisionDigits() ? value.round(mathContext) : value;
        if (x.scale() < 0) {
            x = x.setScale(0, RoundingMode.UNNECESSARY);
        }
        if (x.scale() > limits.scaleMax()) {
            throw new RuleLimitException(at, "number with " + x.scale() + " digits after the point exceeds the limit of "
                    + limits.scaleMax());
        }
        return x;
    }

    static BigDecimal number(Value value) {
        if (value instanceof Value.Money m) {
            return m.amount();
        } else if (value instanceof Value.Decimal d) {
            return d.value();
        } else if (value instanceof Value.Int i) {
            return new BigDecimal(i.value());
        }
        throw new IllegalStateException("not a number: " + value);
    }

    private static boolean same(Value left, Value right) {
        if (left instanceof Value.Date || left instanceof Value.Bool || left instanceof Value.EnumMember) {
            return left.equals(right);
        }
        return number(left).compareTo(number(right)) == 0;
    }

    private static int compare(Value left, Value right) {
        if (left instanceof Value.Date a && right instanceof Value.Date b) {
            return a.value().compareTo(b.value());
        }
        return number(left).compareTo(number(right));
    }

    private Value round(Ast.Round r) {
        Value operand = eval(r.operand());
        BigDecimal unit = number(eval(r.unit()));
        if (unit.signum() <= 0) {
            throw new RuleEvaluationException(r.unit().at(), "rounding unit must be positive, got " + unit.toPlainString());
        }
        // x / unit rounded to a whole number in the named mode, times unit: exact for any unit (10, 1, 0.01, 0.05).
        BigDecimal steps = number(operand).divide(unit, 0, r.mode());
        BigDecimal rounded = steps.multiply(unit);
        return withNumber(operand, rounded.scale() < 0 ? rounded.setScale(0, RoundingMode.UNNECESSARY) : rounded, r.at());
    }

    private Value call(Ast.Call call) {
        CompiledPack.Table table = pack.tables().get(call.function());
        if (table != null) {
            return applyTable(table, call);
        }
        List<Value> args = new ArrayList<>(call.args().size());
        for (Ast.Expr arg : call.args()) {
            args.add(eval(arg));
        }
        switch (call.function()) {
            case "min", "max" -> {
                boolean max = call.function().equals("max");
                Value best = args.get(0);
                for (Value next : args.subList(1, args.size())) {
                    int c = number(next).compareTo(number(best));
                    if (max ? c > 0 : c < 0) {
                        best = next;
                    }
                }
                boolean anyDecimal = args.stream().anyMatch(v -> v instanceof Value.Decimal);
                return best instanceof Value.Int i && anyDecimal ? new Value.Decimal(new BigDecimal(i.value())) : best;
            }
            case "abs" -> {
                return withNumber(args.get(0), number(args.get(0)).abs(), call.at());
            }
            case "year" -> {
                return Value.integer(((Value.Date) args.get(0)).value().getYear());
            }
            case "month" -> {
                return Value.integer(((Value.Date) args.get(0)).value().getMonthValue());
            }
            case "day" -> {
                return Value.integer(((Value.Date) args.get(0)).value().getDayOfMonth());
            }
            default -> throw new IllegalStateException("checker admitted unknown function " + call.function());
        }
    }

    private Value applyTable(CompiledPack.Table table, Ast.Call call) {
        frames.push(new ArrayList<>());
        Value argument;
        List<Explanation> used;
        try {
            argument = coerce(eval(call.args().get(0)), table.type());
        } finally {
            used = frames.pop();
        }
        BigDecimal x = number(argument);
        if (x.signum() < 0) {
            throw new RuleEvaluationException(call.at(), "table " + table.name() + " applied to the negative amount "
                    + argument + "; clamp it first, e.g. max(0, ...)");
        }
        CompiledPack.Lookup lookup = table.apply(x);
        Value result = withNumber(argument, lookup.result(), call.at());
        Explanation explanation = new Explanation(table.name(), Explanation.Kind.TABLE, table.type(), result,
                table.doc(), table.marginal() ? "marginal" : "progressive", table.at(), lookup.bracket(), argument, used);
        use(explanation);
        return result;
    }

    /** Integers widen to decimals where a decimal is declared; nothing else converts. */
    static Value coerce(Value value, Type type) {
        if (type == Type.DecimalType.INSTANCE && value instanceof Value.Int i) {
            return new Value.Decimal(new BigDecimal(i.value()));
        }
        if (value instanceof Value.Money m) {
            // Named money values show at least their currency's minor unit (5000 CNY as 5000.00); padding loses nothing.
            int digits = java.util.Currency.getInstance(m.currency()).getDefaultFractionDigits();
            if (m.amount().scale() < digits) {
                return new Value.Money(m.amount().setScale(digits, RoundingMode.UNNECESSARY), m.currency());
            }
        }
        return value;
    }
}
