package ledger.tax.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;

/** The abstract syntax of a rule file, built by {@link AstBuilder} and checked by {@link Checker}. */
final class Ast {

    private Ast() {
    }

    sealed interface Expr {
        Location at();
    }

    record Num(Location at, BigDecimal value, boolean integral) implements Expr {
    }

    record MoneyLit(Location at, BigDecimal amount, String currency) implements Expr {
    }

    record DateLit(Location at, LocalDate value) implements Expr {
    }

    record BoolLit(Location at, boolean value) implements Expr {
    }

    record EnumLit(Location at, String enumName, String member) implements Expr {
    }

    record Ref(Location at, String name) implements Expr {
    }

    record Unary(Location at, String op, Expr operand) implements Expr {
    }

    record Binary(Location at, String op, Expr left, Expr right) implements Expr {
    }

    record If(Location at, Expr condition, Expr whenTrue, Expr whenFalse) implements Expr {
    }

    record Round(Location at, Expr operand, RoundingMode mode, String modeName, Expr unit) implements Expr {
    }

    record Call(Location at, String function, List<Expr> args) implements Expr {
    }

    /** A written type: {@code kind} is money, decimal, integer, date, boolean or enum; {@code name} the currency or enum. */
    record TypeRef(Location at, String kind, String name) {
    }

    record Header(Location at, String name, String version, String jurisdiction, LocalDate validFrom,
                  LocalDate validTo, List<String> sources) {
    }

    sealed interface Decl {
        Location at();

        String name();
    }

    record EnumDecl(Location at, String name, List<String> members, List<Location> memberAt) implements Decl {
    }

    record InputDecl(Location at, String name, TypeRef type, String doc, Expr low, Expr high, Expr fallback)
            implements Decl {
    }

    record ConstDecl(Location at, String name, TypeRef type, String doc, Expr body) implements Decl {
    }

    /** One bracket: applies up to {@code upTo} inclusive (null: above the previous row, the last row). */
    record Row(Location at, Expr upTo, Expr rate, Expr deduct, Expr add) {
    }

    record TableDecl(Location at, String name, boolean marginal, TypeRef type, String doc, List<Row> rows)
            implements Decl {
    }

    record RuleClause(Location at, String label, BigInteger priority, Expr condition, Expr result) {
    }

    /**
     * A named value or output: either {@code = body} (no rules, body in {@code otherwise}) or rules with an
     * optional {@code otherwise}.
     */
    record ValueDecl(Location at, String name, boolean output, TypeRef type, String doc, List<RuleClause> rules,
                     Expr otherwise, boolean simple) implements Decl {
    }

    record PackAst(String file, Header header, List<Decl> declarations) {
    }
}
