package ledger.tax.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A checked rule file: symbols with their types, rules sorted by priority, bracket tables with constant rows. */
final class CompiledPack {

    record Row(Location at, BigDecimal upTo, BigDecimal rate, BigDecimal deduct, BigDecimal add) {
    }

    record Lookup(BigDecimal result, Explanation.Bracket bracket) {
    }

    record Table(String name, boolean marginal, Type type, String doc, Location at, List<Row> rows) {

        /**
         * Progressive: the first row whose bound the amount does not exceed gives amount × rate − deduct + add.
         * Marginal: each slice between consecutive bounds is taxed at its own row's rate and the slices are summed.
         */
        Lookup apply(BigDecimal amount) {
            return marginal ? marginal(amount) : progressive(amount);
        }

        private Lookup progressive(BigDecimal amount) {
            BigDecimal over = null;
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                if (row.upTo() == null || amount.compareTo(row.upTo()) <= 0) {
                    BigDecimal result = amount.multiply(row.rate()).subtract(row.deduct()).add(row.add());
                    return new Lookup(result, new Explanation.Bracket(name, "progressive", i + 1, over, row.upTo(),
                            row.rate(), row.deduct(), row.add()));
                }
                over = row.upTo();
            }
            throw new IllegalStateException("the checker requires a last row 'above' in table " + name);
        }

        private Lookup marginal(BigDecimal amount) {
            BigDecimal total = BigDecimal.ZERO;
            BigDecimal lower = BigDecimal.ZERO;
            int reached = 1;
            BigDecimal reachedOver = null;
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                if (amount.compareTo(lower) <= 0 && i > 0) {
                    break;
                }
                BigDecimal top = row.upTo() == null ? amount : amount.min(row.upTo());
                BigDecimal slice = top.subtract(lower).max(BigDecimal.ZERO);
                total = total.add(slice.multiply(row.rate()));
                reached = i + 1;
                reachedOver = i == 0 ? null : lower;
                if (row.upTo() == null) {
                    break;
                }
                lower = row.upTo();
            }
            Row top = rows.get(reached - 1);
            return new Lookup(total, new Explanation.Bracket(name, "marginal", reached, reachedOver, top.upTo(),
                    top.rate(), BigDecimal.ZERO, BigDecimal.ZERO));
        }
    }

    private final Ast.PackAst ast;
    private final Map<String, Checker.Symbol> symbols;
    private final Map<String, Set<String>> enums;
    private final Map<String, Table> tables = new HashMap<>();
    private final Map<Ast.ValueDecl, List<Ast.RuleClause>> rulesByPriority = new HashMap<>();

    CompiledPack(Ast.PackAst ast, Checker.Result checked, RuleLimits limits) {
        this.ast = ast;
        this.symbols = checked.symbols();
        this.enums = checked.enums();
        for (Checker.Symbol symbol : symbols.values()) {
            if (symbol.decl() instanceof Ast.ValueDecl v) {
                List<Ast.RuleClause> sorted = new ArrayList<>(v.rules());
                sorted.sort(Comparator.comparing(Ast.RuleClause::priority).reversed());
                rulesByPriority.put(v, List.copyOf(sorted));
            }
        }
        Evaluator constants = new Evaluator(this, Map.of(), limits);
        List<Diagnostic> problems = new ArrayList<>();
        for (Checker.Symbol symbol : symbols.values()) {
            if (symbol.decl() instanceof Ast.TableDecl t) {
                tables.put(t.name(), compileTable(t, symbol.type(), constants, problems));
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleLoadException(problems);
        }
    }

    private static Table compileTable(Ast.TableDecl decl, Type type, Evaluator constants, List<Diagnostic> problems) {
        List<Row> rows = new ArrayList<>();
        BigDecimal previous = null;
        for (Ast.Row row : decl.rows()) {
            BigDecimal upTo = row.upTo() == null ? null : constant(row.upTo(), constants, problems);
            if (upTo != null && upTo.signum() < 0) {
                problems.add(new Diagnostic(row.upTo().at(), "bracket bound " + upTo.toPlainString() + " is negative"));
            }
            if (upTo != null && previous != null && upTo.compareTo(previous) <= 0) {
                problems.add(new Diagnostic(row.upTo().at(), "bracket bound " + upTo.toPlainString()
                        + " must be greater than the previous bound " + previous.toPlainString()));
            }
            rows.add(new Row(row.at(), upTo,
                    row.rate() == null ? BigDecimal.ZERO : constant(row.rate(), constants, problems),
                    row.deduct() == null ? BigDecimal.ZERO : constant(row.deduct(), constants, problems),
                    row.add() == null ? BigDecimal.ZERO : constant(row.add(), constants, problems)));
            if (upTo != null) {
                previous = upTo;
            }
        }
        return new Table(decl.name(), decl.marginal(), type, decl.doc(), decl.at(), List.copyOf(rows));
    }

    private static BigDecimal constant(Ast.Expr expr, Evaluator constants, List<Diagnostic> problems) {
        try {
            return Evaluator.number(constants.constantExpression(expr));
        } catch (RuleEvaluationException e) {
            problems.add(new Diagnostic(e.at() == null ? expr.at() : e.at(), e.getMessage()));
            return BigDecimal.ZERO;
        }
    }

    Ast.Header header() {
        return ast.header();
    }

    String file() {
        return ast.file();
    }

    Map<String, Checker.Symbol> symbols() {
        return symbols;
    }

    Map<String, Set<String>> enums() {
        return enums;
    }

    Map<String, Table> tables() {
        return tables;
    }

    List<Ast.RuleClause> rulesByPriority(Ast.ValueDecl decl) {
        return rulesByPriority.get(decl);
    }

    /** Outputs in the order they are declared. */
    List<Checker.Symbol> outputs() {
        List<Checker.Symbol> outputs = new ArrayList<>();
        for (Checker.Symbol s : symbols.values()) {
            if (s.kind() == Checker.Kind.OUTPUT) {
                outputs.add(s);
            }
        }
        return outputs;
    }

    Map<String, Checker.Symbol> inputs() {
        Map<String, Checker.Symbol> inputs = new LinkedHashMap<>();
        for (Checker.Symbol s : symbols.values()) {
            if (s.kind() == Checker.Kind.INPUT) {
                inputs.put(s.name(), s);
            }
        }
        return inputs;
    }
}
