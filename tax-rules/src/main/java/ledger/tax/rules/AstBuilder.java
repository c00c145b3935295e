package ledger.tax.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Currency;
import java.util.List;

import ledger.tax.rules.grammar.TaxRulesLexer;
import ledger.tax.rules.grammar.TaxRulesParser;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Turns the bytes of a rule file into {@link Ast}: decodes UTF-8 strictly, scans tokens for nesting before the
 * (recursive) parser runs, parses with ANTLR and reports every syntax error with file, line and column.
 */
final class AstBuilder {

    private static final int SYNTAX_ERRORS_MAX = 20;

    private final String file;
    private final RuleLimits limits;
    private final List<Diagnostic> errors = new ArrayList<>();

    private AstBuilder(String file, RuleLimits limits) {
        this.file = file;
        this.limits = limits;
    }

    static Ast.PackAst parse(String file, byte[] bytes, RuleLimits limits) {
        return new AstBuilder(file, limits).run(bytes);
    }

    private Ast.PackAst run(byte[] bytes) {
        if (bytes.length > limits.fileBytesMax()) {
            throw new RuleLoadException(new Location(file, 1, 1),
                    "file has " + bytes.length + " bytes, more than the limit of " + limits.fileBytesMax());
        }
        String text = decode(bytes);
        TaxRulesLexer lexer = new TaxRulesLexer(CharStreams.fromString(text, file));
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener());
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        scanTokens(tokens.getTokens());
        failIfErrors();

        TaxRulesParser parser = new TaxRulesParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(listener());
        TaxRulesParser.FileContext tree = parser.file();
        failIfErrors();
        Ast.PackAst pack = new Ast.PackAst(file, header(tree.header()), declarations(tree));
        failIfErrors();
        return pack;
    }

    private String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RuleLoadException(new Location(file, 1, 1), "file is not valid UTF-8");
        }
    }

    private BaseErrorListener listener() {
        return new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
                                    int charPositionInLine, String msg, RecognitionException e) {
                if (errors.size() < SYNTAX_ERRORS_MAX) {
                    errors.add(new Diagnostic(new Location(file, line, charPositionInLine + 1), msg));
                }
            }
        };
    }

    private void failIfErrors() {
        if (!errors.isEmpty()) {
            throw new RuleLoadException(errors);
        }
    }

    /**
     * The parser recurses once per nesting level, so nesting is bounded before it runs: within one statement
     * (between semicolons and braces), open parentheses plus {@code if} plus unary operators may not exceed
     * {@link RuleLimits#nestingMax()}. Characters the lexer does not know are reported here with their place.
     */
    private void scanTokens(List<Token> tokens) {
        int nesting = 0;
        int parens = 0;
        Token previous = null;
        for (Token token : tokens) {
            if (token.getType() == TaxRulesLexer.UNEXPECTED) {
                errors.add(new Diagnostic(at(token), "unexpected character '" + token.getText() + "'"));
                if (errors.size() >= SYNTAX_ERRORS_MAX) {
                    return;
                }
                continue;
            }
            String text = token.getText();
            switch (text) {
                case ";", "{", "}" -> {
                    nesting = 0;
                    parens = 0;
                }
                case "(" -> {
                    parens++;
                    nesting++;
                }
                case ")" -> parens = Math.max(0, parens - 1);
                case "if", "not" -> nesting++;
                case "-" -> {
                    if (isUnaryPosition(previous)) {
                        nesting++;
                    }
                }
                default -> {
                }
            }
            if (nesting > limits.nestingMax()) {
                errors.add(new Diagnostic(at(token), "statement nests deeper than the limit of "
                        + limits.nestingMax() + " (parentheses, calls, if and unary operators)"));
                return;
            }
            previous = token;
        }
    }

    private static boolean isUnaryPosition(Token previous) {
        if (previous == null) {
            return true;
        }
        int type = previous.getType();
        String text = previous.getText();
        boolean endsOperand = type == TaxRulesLexer.NUMBER || type == TaxRulesLexer.IDENT
                || type == TaxRulesLexer.DATE || type == TaxRulesLexer.STRING
                || text.equals(")") || text.equals("%") || text.equals("true") || text.equals("false");
        return !endsOperand;
    }

    private Location at(Token token) {
        return new Location(file, token.getLine(), token.getCharPositionInLine() + 1);
    }

    private Location at(ParserRuleContext context) {
        return at(context.getStart());
    }

    private Ast.Header header(TaxRulesParser.HeaderContext h) {
        List<String> sources = h.sources.stream().map(AstBuilder::unquote).toList();
        LocalDate from = date(h.from);
        LocalDate to = h.to == null ? null : date(h.to);
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(new Diagnostic(at(h.to), "validity ends (" + to + ") before it starts (" + from + ")"));
        }
        return new Ast.Header(at(h), unquote(h.name), unquote(h.version), unquote(h.jurisdiction), from, to, sources);
    }

    private LocalDate date(Token token) {
        try {
            return LocalDate.parse(token.getText());
        } catch (DateTimeException e) {
            errors.add(new Diagnostic(at(token), "not a calendar date: " + token.getText()));
            return null;
        }
    }

    private static String unquote(Token token) {
        String raw = token.getText();
        return raw.substring(1, raw.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static String doc(Token token) {
        return token == null ? null : unquote(token);
    }

    private List<Ast.Decl> declarations(TaxRulesParser.FileContext tree) {
        List<TaxRulesParser.DeclarationContext> contexts = tree.declaration();
        if (contexts.size() > limits.declarationsMax()) {
            errors.add(new Diagnostic(at(contexts.get(limits.declarationsMax())), "more than "
                    + limits.declarationsMax() + " declarations in one file"));
            return List.of();
        }
        List<Ast.Decl> result = new ArrayList<>();
        for (TaxRulesParser.DeclarationContext d : contexts) {
            if (d.enumDecl() != null) {
                result.add(enumDecl(d.enumDecl()));
            } else if (d.inputDecl() != null) {
                result.add(inputDecl(d.inputDecl()));
            } else if (d.constDecl() != null) {
                TaxRulesParser.ConstDeclContext c = d.constDecl();
                result.add(new Ast.ConstDecl(at(c.name), c.name.getText(), type(c.type()), doc(c.doc), expr(c.expr())));
            } else if (d.tableDecl() != null) {
                result.add(tableDecl(d.tableDecl()));
            } else {
                result.add(valueDecl(d.valueDecl()));
            }
        }
        return result;
    }

    private Ast.EnumDecl enumDecl(TaxRulesParser.EnumDeclContext e) {
        return new Ast.EnumDecl(at(e.name), e.name.getText(),
                e.members.stream().map(Token::getText).toList(),
                e.members.stream().map(this::at).toList());
    }

    private Ast.InputDecl inputDecl(TaxRulesParser.InputDeclContext i) {
        return new Ast.InputDecl(at(i.name), i.name.getText(), type(i.type()), doc(i.doc),
                i.low == null ? null : expr(i.low), i.high == null ? null : expr(i.high),
                i.fallback == null ? null : expr(i.fallback));
    }

    private Ast.TableDecl tableDecl(TaxRulesParser.TableDeclContext t) {
        if (t.row().size() > limits.rowsPerTableMax()) {
            errors.add(new Diagnostic(at(t.row().get(limits.rowsPerTableMax())),
                    "table " + t.name.getText() + " has more than " + limits.rowsPerTableMax() + " rows"));
        }
        List<Ast.Row> rows = new ArrayList<>();
        for (TaxRulesParser.RowContext r : t.row()) {
            Ast.Expr rate = null;
            Ast.Expr deduct = null;
            Ast.Expr add = null;
            for (TaxRulesParser.RowPartContext part : r.rowPart()) {
                Ast.Expr e = expr(part.expr());
                String field = part.field.getText();
                boolean repeated = switch (field) {
                    case "rate" -> rate != null;
                    case "deduct" -> deduct != null;
                    default -> add != null;
                };
                if (repeated) {
                    errors.add(new Diagnostic(at(part.field), "'" + field + "' given twice in one row"));
                }
                switch (field) {
                    case "rate" -> rate = e;
                    case "deduct" -> deduct = e;
                    default -> add = e;
                }
            }
            rows.add(new Ast.Row(at(r), r.bound == null ? null : expr(r.bound), rate, deduct, add));
        }
        return new Ast.TableDecl(at(t.name), t.name.getText(), t.kind.getText().equals("marginal"), type(t.type()),
                doc(t.doc), rows);
    }

    private Ast.ValueDecl valueDecl(TaxRulesParser.ValueDeclContext v) {
        boolean output = v.kind.getText().equals("output");
        if (v.body != null) {
            return new Ast.ValueDecl(at(v.name), v.name.getText(), output, type(v.type()), doc(v.doc), List.of(),
                    expr(v.body), true);
        }
        if (v.ruleClause().size() > limits.rulesPerValueMax()) {
            errors.add(new Diagnostic(at(v.ruleClause().get(limits.rulesPerValueMax())), v.name.getText()
                    + " has more than " + limits.rulesPerValueMax() + " rules"));
        }
        List<Ast.RuleClause> rules = new ArrayList<>();
        for (TaxRulesParser.RuleClauseContext r : v.ruleClause()) {
            BigInteger priority;
            try {
                priority = new BigDecimal(r.priority.getText().replace("_", "")).toBigIntegerExact();
            } catch (ArithmeticException e) {
                errors.add(new Diagnostic(at(r.priority), "priority must be a whole number"));
                priority = BigInteger.ZERO;
            }
            rules.add(new Ast.RuleClause(at(r.label), r.label.getText(), priority, expr(r.condition), expr(r.result)));
        }
        return new Ast.ValueDecl(at(v.name), v.name.getText(), output, type(v.type()), doc(v.doc), rules,
                v.otherwise == null ? null : expr(v.otherwise), false);
    }

    private Ast.TypeRef type(TaxRulesParser.TypeContext t) {
        Location at = at(t);
        if (t instanceof TaxRulesParser.MoneyTypeContext m) {
            return new Ast.TypeRef(at, "money", currency(m.currency));
        } else if (t instanceof TaxRulesParser.EnumTypeContext e) {
            return new Ast.TypeRef(at, "enum", e.IDENT().getText());
        }
        return new Ast.TypeRef(at, t.getText(), null);
    }

    /** ISO 4217 codes as the JDK knows them; the minor unit (scale) of each is checked on outputs. */
    private String currency(Token token) {
        String code = token.getText();
        if (code.matches("[eE][0-9]*")) {
            errors.add(new Diagnostic(at(token), "exponent notation is not part of the language; write the number out"));
            return code;
        }
        if (!code.matches("[A-Z]{3}")) {
            errors.add(new Diagnostic(at(token), "currency must be an ISO 4217 code such as CNY, got '" + code + "'"));
            return code;
        }
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            errors.add(new Diagnostic(at(token), "unknown ISO 4217 currency '" + code + "'"));
        }
        return code;
    }

    private Ast.Expr expr(TaxRulesParser.ExprContext e) {
        Location at = at(e);
        if (e instanceof TaxRulesParser.ParenContext p) {
            return expr(p.expr());
        } else if (e instanceof TaxRulesParser.UnaryContext u) {
            return new Ast.Unary(at, u.op.getText(), expr(u.expr()));
        } else if (e instanceof TaxRulesParser.BinaryContext b) {
            return binaryChain(b);
        } else if (e instanceof TaxRulesParser.IfExprContext i) {
            return new Ast.If(at, expr(i.condition), expr(i.whenTrue), expr(i.whenFalse));
        } else if (e instanceof TaxRulesParser.RoundContext r) {
            String name = r.rounding.getText();
            return new Ast.Round(at, expr(r.operand), roundingMode(name), name, expr(r.unit));
        } else if (e instanceof TaxRulesParser.CallContext c) {
            return new Ast.Call(at, c.fn.getText(), c.expr().stream().map(this::expr).toList());
        } else if (e instanceof TaxRulesParser.EnumLiteralContext l) {
            return new Ast.EnumLit(at, l.enumName.getText(), l.member.getText());
        } else if (e instanceof TaxRulesParser.ReferenceContext r) {
            return new Ast.Ref(at, r.IDENT().getText());
        } else if (e instanceof TaxRulesParser.MoneyLiteralContext m) {
            return new Ast.MoneyLit(at, number(m.NUMBER().getSymbol()), currency(m.currency));
        } else if (e instanceof TaxRulesParser.PercentLiteralContext p) {
            BigDecimal percent = number(p.NUMBER().getSymbol());
            return new Ast.Num(at, percent.movePointLeft(2), false);
        } else if (e instanceof TaxRulesParser.NumberLiteralContext n) {
            String text = n.NUMBER().getText();
            return new Ast.Num(at, number(n.NUMBER().getSymbol()), !text.contains("."));
        } else if (e instanceof TaxRulesParser.DateLiteralContext d) {
            LocalDate date = date(d.DATE().getSymbol());
            return new Ast.DateLit(at, date == null ? LocalDate.EPOCH : date);
        } else if (e instanceof TaxRulesParser.BooleanLiteralContext b) {
            return new Ast.BoolLit(at, b.literal.getText().equals("true"));
        }
        throw new IllegalStateException("unhandled expression alternative " + e.getClass().getSimpleName());
    }

    /**
     * ANTLR parses {@code a + b + c + ...} in a loop but hands back a left-deep tree; it is walked here without
     * recursion on the left side and refused past the expression depth limit.
     */
    private Ast.Expr binaryChain(TaxRulesParser.BinaryContext top) {
        Deque<TaxRulesParser.BinaryContext> spine = new ArrayDeque<>();
        TaxRulesParser.ExprContext current = top;
        while (current instanceof TaxRulesParser.BinaryContext binary) {
            spine.push(binary);
            if (spine.size() > limits.expressionDepthMax()) {
                errors.add(new Diagnostic(at(top), "expression is a chain of more than " + limits.expressionDepthMax()
                        + " operators, more than the depth limit; split it into named values"));
                return new Ast.Num(at(top), BigDecimal.ZERO, true);
            }
            current = binary.left;
        }
        Ast.Expr result = expr(current);
        while (!spine.isEmpty()) {
            TaxRulesParser.BinaryContext binary = spine.pop();
            result = new Ast.Binary(at(binary.op), binary.op.getText(), result, expr(binary.right));
        }
        return result;
    }

    /** Number literals obey the same magnitude and scale limits as every computed number. */
    private BigDecimal number(Token token) {
        String digits = token.getText().replace("_", "");
        if (digits.length() > limits.integerDigitsMax() + limits.scaleMax() + 1) {
            errors.add(new Diagnostic(at(token), "number has " + (digits.length() - (digits.contains(".") ? 1 : 0))
                    + " digits, more than the limits of " + limits.integerDigitsMax() + " before and "
                    + limits.scaleMax() + " after the point"));
            return BigDecimal.ZERO;
        }
        BigDecimal value = new BigDecimal(digits);
        int integerDigits = Math.max(0, value.precision() - value.scale());
        if (integerDigits > limits.integerDigitsMax()) {
            errors.add(new Diagnostic(at(token), "number has " + integerDigits + " digits before the point, more than the limit of "
                    + limits.integerDigitsMax()));
        } else if (value.scale() > limits.scaleMax()) {
            errors.add(new Diagnostic(at(token), "number has " + value.scale() + " digits after the point, more than the limit of "
                    + limits.scaleMax()));
        }
        return value;
    }

    private static RoundingMode roundingMode(String name) {
        return switch (name) {
            case "up" -> RoundingMode.UP;
            case "down" -> RoundingMode.DOWN;
            case "half_up" -> RoundingMode.HALF_UP;
            case "half_down" -> RoundingMode.HALF_DOWN;
            case "half_even" -> RoundingMode.HALF_EVEN;
            case "ceiling" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new IllegalStateException("grammar admits no rounding mode " + name);
        };
    }
}
