package ledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme restricted to the number rule of AUDIT-CHAIN.md.
 *
 * <p>Because every number must be an integer with magnitude at most 2^53 - 1, the ECMAScript
 * number serialisation of RFC 8785 section 3.2.2.3 reduces to the plain decimal integer: such
 * integers are exactly representable as IEEE 754 doubles and print without exponent.
 * A number written with a fraction or an exponent ({@code 1.0}, {@code 1e3}) is rejected even
 * when its value is integral: the rule is about what the event says, not what it rounds to.
 *
 * <p>Keys are sorted by their UTF-16 code units ({@link String#compareTo} does exactly that).
 * Strings are escaped as RFC 8785 section 3.2.2.2: only {@code "}, {@code \} and the control
 * characters U+0000..U+001F are escaped, the latter as {@code \b \t \n \f \r} or backslash-u00xx
 * (lowercase hex); everything else, U+007F, U+2028 and U+2029 included, is written as UTF-8.
 * A lone surrogate cannot be UTF-8 and is not I-JSON: it is rejected with
 * {@link IllegalArgumentException}.
 */
public final class CanonicalJson {

    /** 2^53 - 1, the largest integer an IEEE 754 double holds exactly. */
    public static final long NUMBER_MAGNITUDE_MAX = (1L << 53) - 1;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /** UTF-8 bytes of JCS(node). */
    public static byte[] canonicalize(JsonNode node) throws NumberRuleException {
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    /** JCS(node) as a Java string. */
    public static String canonicalString(JsonNode node) throws NumberRuleException {
        if (node == null) {
            throw new IllegalArgumentException("node is null");
        }
        StringBuilder out = new StringBuilder(512);
        write(node, new Path(), out);
        return out.toString();
    }

    /** Appends JCS(node) to {@code out}; on failure {@code out} holds a partial value. */
    public static void append(StringBuilder out, JsonNode node) throws NumberRuleException {
        if (node == null) {
            throw new IllegalArgumentException("node is null");
        }
        write(node, new Path(), out);
    }

    /** Appends the JCS form of the string {@code s}, quotes included. */
    public static void appendString(StringBuilder out, String s) {
        writeString(s, out);
    }

    /**
     * Checks the number rule and I-JSON strings (the checks {@link #canonicalString} makes)
     * without building the canonical form. A value that fails is written out once more by
     * {@link #canonicalString}, whose exception names where.
     */
    public static void checkNumberRule(JsonNode node) throws NumberRuleException {
        if (!conforms(node)) {
            canonicalString(node);
            throw new IllegalStateException("conformance walk and canonical writer disagree on " + node);
        }
    }

    private static boolean conforms(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> member = it.next();
                    if (!isIJson(member.getKey()) || !conforms(member.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            case ARRAY -> {
                for (int i = 0; i < node.size(); i++) {
                    if (!conforms(node.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case STRING -> {
                return isIJson(node.textValue());
            }
            case NUMBER -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    return false;
                }
                long value = node.longValue();
                return value <= NUMBER_MAGNITUDE_MAX && value >= -NUMBER_MAGNITUDE_MAX;
            }
            case BOOLEAN, NULL -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean isIJson(String s) {
        return !needsEscapeOrCheck(s) || loneSurrogateIndex(s) < 0;
    }

    /** Throws {@link IllegalArgumentException} when s holds a lone surrogate (not I-JSON, not UTF-8). */
    public static void requireIJson(String s) {
        int i = loneSurrogateIndex(s);
        if (i >= 0) {
            throw loneSurrogate(s.charAt(i), i);
        }
    }

    /** The index of the first surrogate in s that is not part of a pair, or -1. */
    private static int loneSurrogateIndex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the writer is in the tree: the member names and array indexes from the root. Only
     * turned into a JSON pointer when a number breaks the rule, so the common case builds no strings.
     */
    private static final class Path {
        private final ArrayDeque<Object> steps = new ArrayDeque<>();

        String pointer() {
            StringBuilder p = new StringBuilder();
            for (Iterator<Object> it = steps.descendingIterator(); it.hasNext(); ) {
                p.append('/').append(escapePointer(String.valueOf(it.next())));
            }
            return p.toString();
        }
    }

    private static void write(JsonNode node, Path path, StringBuilder out) throws NumberRuleException {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, path, out);
            case ARRAY -> writeArray(node, path, out);
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeNumber(node, path, out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException(
                    "not a JSON value at " + path.pointer() + ": " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, Path path, StringBuilder out) throws NumberRuleException {
        String[] names = new String[node.size()];
        int n = 0;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names[n++] = it.next();
        }
        Arrays.sort(names); // String.compareTo: UTF-16 code units, as RFC 8785 requires
        out.append('{');
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            String name = names[i];
            writeString(name, out);
            out.append(':');
            path.steps.push(name);
            write(node.get(name), path, out);
            path.steps.pop();
        }
        out.append('}');
    }

    private static void writeArray(JsonNode node, Path path, StringBuilder out) throws NumberRuleException {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            path.steps.push(i);
            write(node.get(i), path, out);
            path.steps.pop();
        }
        out.append(']');
    }

    private static void writeNumber(JsonNode node, Path path, StringBuilder out) throws NumberRuleException {
        if (!node.isIntegralNumber()) {
            throw new NumberRuleException(path.pointer(), node.asText());
        }
        if (!node.canConvertToLong()) {
            throw new NumberRuleException(path.pointer(), node.bigIntegerValue().toString());
        }
        long value = node.longValue();
        if (value > NUMBER_MAGNITUDE_MAX || value < -NUMBER_MAGNITUDE_MAX) {
            throw new NumberRuleException(path.pointer(), Long.toString(value));
        }
        out.append(value);
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        if (!needsEscapeOrCheck(s)) {
            out.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw loneSurrogate(c, i);
                        }
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw loneSurrogate(c, i);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** True when s holds a character that is escaped, or a surrogate that must be checked for pairing. */
    private static boolean needsEscapeOrCheck(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static IllegalArgumentException loneSurrogate(char c, int index) {
        return new IllegalArgumentException(String.format(
                "not I-JSON: lone surrogate U+%04X at string index %d", (int) c, index));
    }

    private static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
