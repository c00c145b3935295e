package ledger.tax.rules;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed rule file before it can be evaluated (docs/tax-rules.md, "Checks at load time"): every name is
 * declared once and known where used, every expression is well typed (money never mixes with decimals or with
 * another currency), constants and bracket rows use constants only, named values have no cycles, priorities within
 * a value are distinct, and expressions stay within the depth limit. All problems are collected with their place.
 */
final class Checker {

    static final Set<String> BUILTINS = Set.of("min", "max", "abs", "year", "month", "day");

    enum Kind { INPUT, CONST, TABLE, VALUE, OUTPUT }

    record Symbol(Kind kind, String name, Type type, Ast.Decl decl) {
    }

    /** What may be referenced from the expression being checked. */
    private enum Scope { CONSTANTS_ONLY, EVERYTHING }

    private final Ast.PackAst pack;
    private final RuleLimits limits;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final Map<String, Set<String>> enums = new LinkedHashMap<>();
    private final Map<String, Symbol> symbols = new LinkedHashMap<>();
    private final Map<String, Set<String>> dependencies = new HashMap<>();

    private Set<String> currentDependencies;

    private Checker(Ast.PackAst pack, RuleLimits limits) {
        this.pack = pack;
        this.limits = limits;
    }

    record Result(Map<String, Symbol> symbols, Map<String, Set<String>> enums) {
    }

    static Result check(Ast.PackAst pack, RuleLimits limits) {
        return new Checker(pack, limits).run();
    }

    private Result run() {
        declare();
        for (Ast.Decl decl : pack.declarations()) {
            checkDeclaration(decl);
        }
        if (symbols.values().stream().noneMatch(s -> s.kind() == Kind.OUTPUT)) {
            errors.add(new Diagnostic(pack.header().at(), "the pack declares no output"));
        }
        if (errors.isEmpty()) {
            findCycles();
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
            throw new RuleLoadException(errors);
        }
        return new Result(symbols, enums);
    }

    private void error(Location at, String message) {
        errors.add(new Diagnostic(at, message));
    }

    // ---- declarations -------------------------------------------------------------------------------------------

    private void declare() {
        Map<String, Location> declared = new HashMap<>();
        for (Ast.Decl decl : pack.declarations()) {
            String name = decl.name();
            if (BUILTINS.contains(name)) {
                error(decl.at(), "'" + name + "' is a built-in function and cannot be declared");
                continue;
            }
            Location earlier = declared.putIfAbsent(name, decl.at());
            if (earlier != null) {
                error(decl.at(), "'" + name + "' is already declared at line " + earlier.line());
                continue;
            }
            if (decl instanceof Ast.EnumDecl e) {
                Set<String> members = new LinkedHashSet<>();
                for (int i = 0; i < e.members().size(); i++) {
                    if (!members.add(e.members().get(i))) {
                        error(e.memberAt().get(i), "enum " + name + " lists '" + e.members().get(i) + "' twice");
                    }
                }
                enums.put(name, members);
            }
        }
        for (Ast.Decl decl : pack.declarations()) {
            if (decl instanceof Ast.EnumDecl || !decl.at().equals(declared.get(decl.name()))) {
                continue;
            }
            Symbol symbol;
            if (decl instanceof Ast.InputDecl i) {
                symbol = new Symbol(Kind.INPUT, i.name(), resolve(i.type()), i);
            } else if (decl instanceof Ast.ConstDecl c) {
                symbol = new Symbol(Kind.CONST, c.name(), resolve(c.type()), c);
            } else if (decl instanceof Ast.TableDecl t) {
                symbol = new Symbol(Kind.TABLE, t.name(), resolve(t.type()), t);
            } else {
                Ast.ValueDecl v = (Ast.ValueDecl) decl;
                symbol = new Symbol(v.output() ? Kind.OUTPUT : Kind.VALUE, v.name(), resolve(v.type()), v);
            }
            symbols.put(symbol.name(), symbol);
        }
    }

    private Type resolve(Ast.TypeRef ref) {
        return switch (ref.kind()) {
            case "money" -> new Type.MoneyType(ref.name());
            case "decimal" -> Type.DecimalType.INSTANCE;
            case "integer" -> Type.IntegerType.INSTANCE;
            case "date" -> Type.DateType.INSTANCE;
            case "boolean" -> Type.BooleanType.INSTANCE;
            default -> {
                if (!enums.containsKey(ref.name())) {
                    error(ref.at(), "unknown type '" + ref.name() + "'");
                }
                yield new Type.EnumType(ref.name());
            }
        };
    }

    private void checkDeclaration(Ast.Decl decl) {
        Symbol symbol = symbols.get(decl.name());
        if (symbol == null || symbol.decl() != decl) {
            return;
        }
        currentDependencies = new LinkedHashSet<>();
        if (decl instanceof Ast.InputDecl i) {
            checkInput(i, symbol.type());
        } else if (decl instanceof Ast.ConstDecl c) {
            expect(c.body(), symbol.type(), Scope.CONSTANTS_ONLY, "constant " + c.name());
        } else if (decl instanceof Ast.TableDecl t) {
            checkTable(t, symbol.type());
        } else if (decl instanceof Ast.ValueDecl v) {
            checkValue(v, symbol.type());
        }
        dependencies.put(decl.name(), currentDependencies);
    }

    private void checkInput(Ast.InputDecl input, Type type) {
        if (input.low() != null) {
            if (!type.isNumeric() && type != Type.DateType.INSTANCE) {
                error(input.low().at(), "a range needs a number, money or date input, " + input.name() + " is " + type);
            } else {
                expect(input.low(), type, Scope.CONSTANTS_ONLY, "lower bound of " + input.name());
                expect(input.high(), type, Scope.CONSTANTS_ONLY, "upper bound of " + input.name());
            }
        }
        if (input.fallback() != null) {
            expect(input.fallback(), type, Scope.CONSTANTS_ONLY, "default of " + input.name());
        }
    }

    private void checkTable(Ast.TableDecl table, Type type) {
        if (!(type instanceof Type.MoneyType) && type != Type.DecimalType.INSTANCE) {
            error(table.type().at(), "a bracket table works on money or decimal, not " + type);
            return;
        }
        List<Ast.Row> rows = table.rows();
        for (int i = 0; i < rows.size(); i++) {
            Ast.Row row = rows.get(i);
            boolean last = i == rows.size() - 1;
            if (row.upTo() == null && !last) {
                error(row.at(), "only the last row of table " + table.name() + " may be 'above'");
            }
            if (row.upTo() != null && last) {
                error(row.at(), "the last row of table " + table.name() + " must be 'above' so every amount has a bracket");
            }
            if (row.upTo() != null) {
                expect(row.upTo(), type, Scope.CONSTANTS_ONLY, "bracket bound");
            }
            if (row.rate() != null) {
                expect(row.rate(), Type.DecimalType.INSTANCE, Scope.CONSTANTS_ONLY, "rate");
            }
            if (table.marginal() && (row.deduct() != null || row.add() != null)) {
                Location at = row.deduct() != null ? row.deduct().at() : row.add().at();
                error(at, "a marginal table taxes each slice at its rate; 'deduct' and 'add' belong to progressive tables");
            }
            if (row.deduct() != null) {
                expect(row.deduct(), type, Scope.CONSTANTS_ONLY, "deduct");
            }
            if (row.add() != null) {
                expect(row.add(), type, Scope.CONSTANTS_ONLY, "add");
            }
        }
    }

    private void checkValue(Ast.ValueDecl value, Type type) {
        Map<BigInteger, Ast.RuleClause> priorities = new HashMap<>();
        Set<String> labels = new HashSet<>();
        for (Ast.RuleClause rule : value.rules()) {
            Ast.RuleClause same = priorities.putIfAbsent(rule.priority(), rule);
            if (same != null) {
                error(rule.at(), "rule " + rule.label() + " has the same priority " + rule.priority() + " as rule "
                        + same.label() + " at line " + same.at().line() + "; priorities within a value must differ");
            }
            if (!labels.add(rule.label())) {
                error(rule.at(), "rule label '" + rule.label() + "' is used twice in " + value.name());
            }
            expect(rule.condition(), Type.BooleanType.INSTANCE, Scope.EVERYTHING, "condition of rule " + rule.label());
            expect(rule.result(), type, Scope.EVERYTHING, "result of rule " + rule.label());
        }
        if (value.otherwise() != null) {
            expect(value.otherwise(), type, Scope.EVERYTHING, value.simple() ? value.name() : "otherwise of " + value.name());
        }
    }

    // ---- expressions --------------------------------------------------------------------------------------------

    private void expect(Ast.Expr expr, Type expected, Scope scope, String what) {
        int depth = depth(expr);
        if (depth > limits.expressionDepthMax()) {
            error(expr.at(), what + " is nested " + depth + " levels deep, more than the limit of "
                    + limits.expressionDepthMax());
            return;
        }
        Type actual = typeOf(expr, scope);
        if (actual != null && !assignable(actual, expected)) {
            error(start(expr), what + " must be " + expected + " but is " + actual);
        }
    }

    /** Where an expression begins: binary nodes are located at their operator, so walk down the left side. */
    private static Location start(Ast.Expr expr) {
        Ast.Expr current = expr;
        while (current instanceof Ast.Binary binary) {
            current = binary.left();
        }
        return current.at();
    }

    static boolean assignable(Type actual, Type expected) {
        return actual.equals(expected)
                || (actual == Type.IntegerType.INSTANCE && expected == Type.DecimalType.INSTANCE);
    }

    private static int depth(Ast.Expr expr) {
        // Iterative on the left spine so a long chain such as a + b + c + ... cannot overflow the checker itself.
        int depth = 0;
        Ast.Expr current = expr;
        while (current instanceof Ast.Binary binary) {
            depth++;
            if (depth > 10_000) {
                return depth;
            }
            int right = depth(binary.right());
            if (right + depth > 10_000) {
                return right + depth;
            }
            current = binary.left();
        }
        if (current instanceof Ast.Unary u) {
            return depth + 1 + depth(u.operand());
        } else if (current instanceof Ast.If i) {
            return depth + 1 + Math.max(depth(i.condition()), Math.max(depth(i.whenTrue()), depth(i.whenFalse())));
        } else if (current instanceof Ast.Round r) {
            return depth + 1 + Math.max(depth(r.operand()), depth(r.unit()));
        } else if (current instanceof Ast.Call c) {
            return depth + 1 + c.args().stream().mapToInt(Checker::depth).max().orElse(0);
        }
        return depth + 1;
    }

    /** The type of an expression, or null after reporting why it has none. */
    private Type typeOf(Ast.Expr expr, Scope scope) {
        if (expr instanceof Ast.Num n) {
            return n.integral() ? Type.IntegerType.INSTANCE : Type.DecimalType.INSTANCE;
        } else if (expr instanceof Ast.MoneyLit m) {
            return new Type.MoneyType(m.currency());
        } else if (expr instanceof Ast.DateLit) {
            return Type.DateType.INSTANCE;
        } else if (expr instanceof Ast.BoolLit) {
            return Type.BooleanType.INSTANCE;
        } else if (expr instanceof Ast.EnumLit e) {
            return enumLiteral(e);
        } else if (expr instanceof Ast.Ref r) {
            return reference(r, scope);
        } else if (expr instanceof Ast.Unary u) {
            return unary(u, scope);
        } else if (expr instanceof Ast.Binary b) {
            return binary(b, scope);
        } else if (expr instanceof Ast.If i) {
            return conditional(i, scope);
        } else if (expr instanceof Ast.Round r) {
            return round(r, scope);
        }
        return call((Ast.Call) expr, scope);
    }

    private Type enumLiteral(Ast.EnumLit literal) {
        Set<String> members = enums.get(literal.enumName());
        if (members == null) {
            error(literal.at(), "unknown enum '" + literal.enumName() + "'");
            return null;
        }
        if (!members.contains(literal.member())) {
            error(literal.at(), "enum " + literal.enumName() + " has no member '" + literal.member() + "' (members: "
                    + String.join(", ", members) + ")");
            return null;
        }
        return new Type.EnumType(literal.enumName());
    }

    private Type reference(Ast.Ref ref, Scope scope) {
        Symbol symbol = symbols.get(ref.name());
        if (symbol == null) {
            if (enums.containsKey(ref.name())) {
                error(ref.at(), "'" + ref.name() + "' is an enum; name a member such as " + ref.name() + "."
                        + enums.get(ref.name()).iterator().next());
            } else {
                error(ref.at(), "unknown name '" + ref.name() + "'");
            }
            return null;
        }
        if (symbol.kind() == Kind.TABLE) {
            error(ref.at(), "table " + ref.name() + " is applied to an amount: " + ref.name() + "(amount)");
            return null;
        }
        if (scope == Scope.CONSTANTS_ONLY && symbol.kind() != Kind.CONST) {
            error(ref.at(), "only constants may be used here, '" + ref.name() + "' is " + describe(symbol.kind()));
            return null;
        }
        currentDependencies.add(ref.name());
        return symbol.type();
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case INPUT -> "an input";
            case CONST -> "a constant";
            case TABLE -> "a table";
            case VALUE -> "a value";
            case OUTPUT -> "an output";
        };
    }

    private Type unary(Ast.Unary unary, Scope scope) {
        Type operand = typeOf(unary.operand(), scope);
        if (operand == null) {
            return null;
        }
        if (unary.op().equals("not")) {
            if (operand != Type.BooleanType.INSTANCE) {
                error(unary.at(), "'not' needs a boolean, got " + operand);
                return null;
            }
            return operand;
        }
        if (!operand.isNumeric()) {
            error(unary.at(), "'-' needs a number or money, got " + operand);
            return null;
        }
        return operand;
    }

    private Type binary(Ast.Binary binary, Scope scope) {
        Type left = typeOf(binary.left(), scope);
        Type right = typeOf(binary.right(), scope);
        if (left == null || right == null) {
            return null;
        }
        String op = binary.op();
        Type result = switch (op) {
            case "+", "-" -> additive(left, right);
            case "*" -> multiplicative(left, right);
            case "/" -> division(left, right);
            case "<", "<=", ">", ">=" -> ordered(left, right) ? Type.BooleanType.INSTANCE : null;
            case "==", "!=" -> (ordered(left, right) || left.equals(right)) ? Type.BooleanType.INSTANCE : null;
            case "and", "or" -> left == Type.BooleanType.INSTANCE && right == Type.BooleanType.INSTANCE
                    ? Type.BooleanType.INSTANCE : null;
            default -> throw new IllegalStateException("grammar admits no operator " + op);
        };
        if (result == null) {
            error(binary.at(), "'" + op + "' cannot combine " + left + " and " + right + mismatchHint(left, right));
        }
        return result;
    }

    private static String mismatchHint(Type left, Type right) {
        if (left instanceof Type.MoneyType a && right instanceof Type.MoneyType b && !a.equals(b)) {
            return " (currency mismatch: " + a.currency() + " vs " + b.currency() + ")";
        }
        if (left instanceof Type.MoneyType || right instanceof Type.MoneyType) {
            return " (money mixes only with money of the same currency, except * and / by a number)";
        }
        return "";
    }

    private static Type additive(Type left, Type right) {
        if (left instanceof Type.MoneyType || right instanceof Type.MoneyType) {
            return left.equals(right) ? left : null;
        }
        return numericJoin(left, right);
    }

    private static Type multiplicative(Type left, Type right) {
        if (left instanceof Type.MoneyType && isPlainNumber(right)) {
            return left;
        }
        if (right instanceof Type.MoneyType && isPlainNumber(left)) {
            return right;
        }
        if (left instanceof Type.MoneyType || right instanceof Type.MoneyType) {
            return null;
        }
        return numericJoin(left, right);
    }

    private static Type division(Type left, Type right) {
        if (left instanceof Type.MoneyType && isPlainNumber(right)) {
            return left;
        }
        if (left instanceof Type.MoneyType && left.equals(right)) {
            return Type.DecimalType.INSTANCE;
        }
        return isPlainNumber(left) && isPlainNumber(right) ? Type.DecimalType.INSTANCE : null;
    }

    private static boolean isPlainNumber(Type type) {
        return type == Type.IntegerType.INSTANCE || type == Type.DecimalType.INSTANCE;
    }

    /** Integer with integer stays integer; any decimal makes the result decimal; money only with itself. */
    static Type numericJoin(Type left, Type right) {
        if (left instanceof Type.MoneyType || right instanceof Type.MoneyType) {
            return left.equals(right) ? left : null;
        }
        if (!isPlainNumber(left) || !isPlainNumber(right)) {
            return null;
        }
        return left == Type.IntegerType.INSTANCE && right == Type.IntegerType.INSTANCE
                ? Type.IntegerType.INSTANCE : Type.DecimalType.INSTANCE;
    }

    private static boolean ordered(Type left, Type right) {
        if (left == Type.DateType.INSTANCE || right == Type.DateType.INSTANCE) {
            return left == right;
        }
        return numericJoin(left, right) != null;
    }

    private Type conditional(Ast.If conditional, Scope scope) {
        Type condition = typeOf(conditional.condition(), scope);
        Type whenTrue = typeOf(conditional.whenTrue(), scope);
        Type whenFalse = typeOf(conditional.whenFalse(), scope);
        if (condition != null && condition != Type.BooleanType.INSTANCE) {
            error(conditional.condition().at(), "the condition of 'if' must be boolean, got " + condition);
        }
        if (whenTrue == null || whenFalse == null) {
            return null;
        }
        if (whenTrue.equals(whenFalse)) {
            return whenTrue;
        }
        Type joined = numericJoin(whenTrue, whenFalse);
        if (joined == null) {
            error(conditional.at(), "the branches of 'if' differ: " + whenTrue + " and " + whenFalse);
        }
        return joined;
    }

    private Type round(Ast.Round round, Scope scope) {
        Type operand = typeOf(round.operand(), scope);
        Type unit = typeOf(round.unit(), Scope.CONSTANTS_ONLY);
        if (unit != null && !isPlainNumber(unit)) {
            error(round.unit().at(), "the rounding unit is a plain number such as 1, 10 or 0.01, got " + unit);
        }
        if (operand == null) {
            return null;
        }
        if (!(operand instanceof Type.MoneyType) && operand != Type.DecimalType.INSTANCE) {
            error(round.operand().at(), "round works on money or decimal, got " + operand);
            return null;
        }
        return operand;
    }

    private Type call(Ast.Call call, Scope scope) {
        String fn = call.function();
        Symbol symbol = symbols.get(fn);
        List<Type> args = new ArrayList<>();
        for (Ast.Expr arg : call.args()) {
            args.add(typeOf(arg, scope));
        }
        if (symbol != null && symbol.kind() == Kind.TABLE) {
            return tableCall(call, symbol, args, scope);
        }
        if (symbol != null) {
            error(call.at(), "'" + fn + "' is " + describe(symbol.kind()) + ", not a function or table");
            return null;
        }
        if (args.contains(null)) {
            return null;
        }
        return switch (fn) {
            case "min", "max" -> extremum(call, args);
            case "abs" -> {
                if (args.size() != 1 || !args.get(0).isNumeric()) {
                    error(call.at(), "abs takes one number or money");
                    yield null;
                }
                yield args.get(0);
            }
            case "year", "month", "day" -> {
                if (args.size() != 1 || args.get(0) != Type.DateType.INSTANCE) {
                    error(call.at(), fn + " takes one date");
                    yield null;
                }
                yield Type.IntegerType.INSTANCE;
            }
            default -> {
                error(call.at(), "unknown function or table '" + fn + "' (functions: min, max, abs, round, year, month, day)");
                yield null;
            }
        };
    }

    private Type tableCall(Ast.Call call, Symbol table, List<Type> args, Scope scope) {
        if (scope == Scope.CONSTANTS_ONLY) {
            error(call.at(), "only constants may be used here, '" + call.function() + "' is a table");
            return null;
        }
        if (args.size() != 1) {
            error(call.at(), "table " + call.function() + " takes one amount, got " + args.size());
            return null;
        }
        Type arg = args.get(0);
        if (arg != null && !assignable(arg, table.type())) {
            error(call.args().get(0).at(), "table " + call.function() + " works on " + table.type() + ", got " + arg);
            return null;
        }
        currentDependencies.add(call.function());
        return table.type();
    }

    private Type extremum(Ast.Call call, List<Type> args) {
        if (args.size() < 2) {
            error(call.at(), call.function() + " takes two or more arguments");
            return null;
        }
        Type joined = args.get(0);
        for (Type next : args.subList(1, args.size())) {
            joined = numericJoin(joined, next);
            if (joined == null) {
                error(call.at(), call.function() + " needs arguments of one kind (numbers, or money of one currency), got "
                        + args.stream().map(Type::toString).toList());
                return null;
            }
        }
        return joined;
    }

    // ---- cycles -------------------------------------------------------------------------------------------------

    private void findCycles() {
        Map<String, Integer> state = new HashMap<>();
        for (String name : symbols.keySet()) {
            if (!state.containsKey(name)) {
                List<String> path = new ArrayList<>();
                if (visit(name, state, path)) {
                    return;
                }
            }
        }
    }

    /** Depth-first search with an explicit path; reports the first cycle found, at the declaration that closes it. */
    private boolean visit(String name, Map<String, Integer> state, List<String> path) {
        state.put(name, 1);
        path.add(name);
        for (String next : dependencies.getOrDefault(name, Set.of())) {
            Integer s = state.get(next);
            if (s == null) {
                if (visit(next, state, path)) {
                    return true;
                }
            } else if (s == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                cycle.add(next);
                Symbol closing = symbols.get(name);
                error(closing.decl().at(), "cycle between named values: " + String.join(" -> ", cycle));
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
        return false;
    }
}
