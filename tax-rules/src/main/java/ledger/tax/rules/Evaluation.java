package ledger.tax.rules;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of one evaluation: the outputs, one explanation tree per output, and the pack that produced them
 * (docs/tax-rules.md, "Explanations"). Printable for a person ({@link #toText()}) and for machines
 * ({@link #toJson()}); numbers are strings in JSON so no reader turns them into floating point.
 */
public final class Evaluation {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PackId packId;
    private final Map<String, Value> outputs;
    private final List<Explanation> explanation;
    private final int steps;

    Evaluation(PackId packId, Map<String, Value> outputs, List<Explanation> explanation, int steps) {
        this.packId = packId;
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.explanation = List.copyOf(explanation);
        this.steps = steps;
    }

    public PackId packId() {
        return packId;
    }

    /** Outputs by name, in the order the pack declares them. */
    public Map<String, Value> outputs() {
        return outputs;
    }

    public Value output(String name) {
        Value value = outputs.get(name);
        if (value == null) {
            throw new IllegalArgumentException("pack " + packId.name() + " has no output '" + name + "' (outputs: "
                    + String.join(", ", outputs.keySet()) + ")");
        }
        return value;
    }

    /** The amount of a money output. */
    public BigDecimal amount(String name) {
        Value value = output(name);
        if (!(value instanceof Value.Money money)) {
            throw new IllegalArgumentException("output '" + name + "' is " + value.type() + ", not money");
        }
        return money.amount();
    }

    /** One tree per output, roots in output order. */
    public List<Explanation> explanation() {
        return explanation;
    }

    /** Expression nodes evaluated, counted against {@link RuleLimits#stepsMax()}. */
    public int steps() {
        return steps;
    }

    // ---- text -----------------------------------------------------------------------------------------------------

    /** Indented text: one line per value, its children indented below it; a value shown before is not repeated. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("pack ").append(packId.name()).append(' ').append(packId.version())
                .append(" (").append(packId.file()).append(", sha256 ").append(packId.sha256()).append(")\n");
        Set<Explanation> shown = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Explanation root : explanation) {
            text(root, 0, shown, out);
        }
        return out.toString();
    }

    private static void text(Explanation node, int level, Set<Explanation> shown, StringBuilder out) {
        out.append("  ".repeat(level));
        if (node.kind() == Explanation.Kind.TABLE) {
            out.append(node.name()).append('(').append(node.argument()).append(')');
        } else {
            out.append(node.name());
        }
        out.append(" = ").append(node.value());
        if (node.kind() != Explanation.Kind.TABLE && !shown.add(node)) {
            out.append("  (see above)\n");
            return;
        }
        out.append("  [").append(node.kind().name().toLowerCase()).append(", ").append(describeRule(node))
                .append(" at ").append(node.at().line()).append(':').append(node.at().column()).append(']');
        if (node.description() != null) {
            out.append("  \"").append(node.description()).append('"');
        }
        out.append('\n');
        for (Explanation child : node.uses()) {
            text(child, level + 1, shown, out);
        }
    }

    private static String describeRule(Explanation node) {
        Explanation.Bracket b = node.bracket();
        if (b == null) {
            return switch (node.rule()) {
                case "=", "input", "default", "otherwise" -> node.rule();
                default -> "rule " + node.rule();
            };
        }
        StringBuilder s = new StringBuilder(b.method()).append(" bracket ").append(b.index()).append(": ");
        s.append(b.over() == null ? "from 0" : "over " + b.over().toPlainString());
        s.append(b.upTo() == null ? " and above" : " up to " + b.upTo().toPlainString());
        s.append(", rate ").append(b.rate().toPlainString());
        if (b.deduct().signum() != 0) {
            s.append(", deduct ").append(b.deduct().toPlainString());
        }
        if (b.add().signum() != 0) {
            s.append(", add ").append(b.add().toPlainString());
        }
        return s.toString();
    }

    // ---- JSON -----------------------------------------------------------------------------------------------------

    public String toJson() {
        try {
            return JSON.writeValueAsString(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    /**
     * {@code {"pack": {...}, "outputs": {name: value}, "explanation": [node]}}; a node a second time carries only
     * name, value and {@code "seeAbove": true}.
     */
    public ObjectNode toJsonTree() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode pack = root.putObject("pack");
        pack.put("name", packId.name());
        pack.put("version", packId.version());
        pack.put("sha256", packId.sha256());
        pack.put("file", packId.file());
        pack.put("jurisdiction", packId.jurisdiction());
        pack.put("validFrom", packId.validFrom().toString());
        pack.put("validTo", packId.validTo() == null ? null : packId.validTo().toString());
        ArrayNode sources = pack.putArray("sources");
        packId.sources().forEach(sources::add);
        ObjectNode outs = root.putObject("outputs");
        outputs.forEach((name, value) -> outs.set(name, jsonValue(value)));
        ArrayNode tree = root.putArray("explanation");
        Set<Explanation> shown = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Explanation e : explanation) {
            tree.add(jsonNode(e, shown));
        }
        root.put("steps", steps);
        return root;
    }

    private static ObjectNode jsonNode(Explanation node, Set<Explanation> shown) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", node.name());
        n.set("value", jsonValue(node.value()));
        if (node.kind() != Explanation.Kind.TABLE && !shown.add(node)) {
            n.put("seeAbove", true);
            return n;
        }
        n.put("kind", node.kind().name().toLowerCase());
        n.put("type", node.type().toString());
        n.put("rule", node.rule());
        n.put("at", node.at().toString());
        if (node.description() != null) {
            n.put("description", node.description());
        }
        if (node.argument() != null) {
            n.set("argument", jsonValue(node.argument()));
        }
        Explanation.Bracket b = node.bracket();
        if (b != null) {
            ObjectNode bracket = n.putObject("bracket");
            bracket.put("table", b.table());
            bracket.put("method", b.method());
            bracket.put("index", b.index());
            bracket.put("over", b.over() == null ? null : b.over().toPlainString());
            bracket.put("upTo", b.upTo() == null ? null : b.upTo().toPlainString());
            bracket.put("rate", b.rate().toPlainString());
            bracket.put("deduct", b.deduct().toPlainString());
            bracket.put("add", b.add().toPlainString());
        }
        ArrayNode uses = n.putArray("uses");
        for (Explanation child : node.uses()) {
            uses.add(jsonNode(child, shown));
        }
        return n;
    }

    static ObjectNode jsonValue(Value value) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("type", value.type().toString());
        if (value instanceof Value.Money m) {
            v.put("amount", m.amount().toPlainString());
            v.put("currency", m.currency());
        } else if (value instanceof Value.Decimal d) {
            v.put("value", d.value().toPlainString());
        } else if (value instanceof Value.Int i) {
            v.put("value", i.value().toString());
        } else if (value instanceof Value.Bool b) {
            v.put("value", b.value());
        } else {
            v.put("value", value.toString());
        }
        return v;
    }
}
