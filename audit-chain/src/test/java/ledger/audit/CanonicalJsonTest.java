package ledger.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ledger.audit.fixture.RandomJson;
import ledger.audit.fixture.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vectors derived by hand from the rules of RFC 8785 (section 3.2), restricted to the number
 * rule of AUDIT-CHAIN.md.
 */
class CanonicalJsonTest {

    private static JsonNode parse(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    private static String jcs(String json) throws Exception {
        return CanonicalJson.canonicalString(parse(json));
    }

    @Test
    void removesWhitespaceAndKeepsArrayOrder() throws Exception {
        assertEquals("{\"a\":[3,1,2],\"b\":{\"c\":null,\"d\":true,\"e\":false}}",
                jcs(" { \"b\" : { \"e\":false , \"d\":true, \"c\" : null } ,\n\t\"a\" : [ 3 , 1 , 2 ] } "));
    }

    @Test
    void sortsKeysByUtf16CodeUnitsNotCodePoints() throws Exception {
        // RFC 8785 3.2.3: U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB33
        // although its code point is larger.
        String in = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertEquals(expected, jcs(in));
    }

    @Test
    void sortsNestedObjectsAndComparesPrefixesShorterFirst() throws Exception {
        assertEquals("{\"a\":1,\"aa\":{\"A\":2,\"a\":3},\"b\":0}", jcs("{\"b\":0,\"aa\":{\"a\":3,\"A\":2},\"a\":1}"));
    }

    @Test
    void escapesOnlyQuoteBackslashAndControlCharacters() throws Exception {
        ObjectNode o = Json.nodes().objectNode();
        o.put("s", "\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u2028\u2029\u00e9\ud83d\ude00");
        String expected = "{\"s\":\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\u007f\u2028\u2029\u00e9\ud83d\ude00\"}";
        assertEquals(expected, CanonicalJson.canonicalString(o));
    }

    @Test
    void writesUtf8Bytes() throws Exception {
        ObjectNode o = Json.nodes().objectNode();
        o.put("\u00e9", "\u2028\ud83d\ude00");
        byte[] expected = {'{', '"', (byte) 0xc3, (byte) 0xa9, '"', ':', '"',
            (byte) 0xe2, (byte) 0x80, (byte) 0xa8, (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '"', '}'};
        assertArrayEquals(expected, CanonicalJson.canonicalize(o));
    }

    @Test
    void escapesControlCharactersInKeysToo() throws Exception {
        assertEquals("{\"\\n\":2,\"\\u000b\":1}", jcs("{\"\\n\":2,\"\\u000B\":1}"));
    }

    @Test
    void writesIntegersInPlainDecimal() throws Exception {
        assertEquals("[0,0,-1,9007199254740991,-9007199254740991,100]",
                jcs("[0,-0,-1,9007199254740991,-9007199254740991,100]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1.0", "1e3", "1E-2", "-0.0", "9007199254740992", "-9007199254740992",
        "123456789012345678901234567890", "0.1"})
    void rejectsNumbersOutsideTheNumberRule(String number) throws Exception {
        JsonNode node = parse("{\"x\":{\"y\":[true," + number + "]}}");
        NumberRuleException e = assertThrows(NumberRuleException.class, () -> CanonicalJson.canonicalize(node));
        assertEquals("/x/y/1", e.pointer());
    }

    @Test
    void rejectsLoneSurrogates() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("s", "a\ud800b");
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(o));
        ObjectNode k = Json.nodes().objectNode();
        k.put("\udc00", 1);
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(k));
    }

    @Test
    void canonicalFormIsAFixedPoint() throws Exception {
        String once = jcs("{\"z\":[{\"b\":\"\\u0001\",\"a\":\"\u2028\"}],\"y\":\"\\\"\"}");
        assertEquals(once, jcs(once));
        assertEquals(once, new String(CanonicalJson.canonicalize(parse(once)), StandardCharsets.UTF_8));
    }

    @Test
    void writesScalarsAtTheRoot() throws Exception {
        assertEquals("\"x\"", jcs("\"x\""));
        assertEquals("null", jcs("null"));
        assertEquals("[]", jcs("[ ]"));
        assertEquals("{}", jcs("{ }"));
    }

    /**
     * checkNumberRule walks the tree without writing it; on any value it must fail exactly as the
     * writer does (same exception, same message, naming the same place) or pass exactly when it passes.
     */
    @Test
    void checkNumberRuleAgreesWithTheWriter() throws Exception {
        Seeded.forAll("checkNumberRule agrees with canonicalString", 1000, r -> {
            JsonNode value = RandomJson.value(r, 3);
            if (value.isContainerNode() && r.nextBoolean()) {
                plantOffender(r, value);
            }
            Exception byWriter = failure(() -> CanonicalJson.canonicalString(value));
            Exception byCheck = failure(() -> CanonicalJson.checkNumberRule(value));
            if (byWriter == null) {
                assertEquals(null, byCheck, "check failed where the writer passed: " + value);
            } else {
                assertEquals(byWriter.getClass(), byCheck == null ? null : byCheck.getClass(), value.toString());
                assertEquals(byWriter.getMessage(), byCheck.getMessage());
            }
        });
    }

    /** Puts a number or string that breaks a rule somewhere inside {@code container}. */
    private static void plantOffender(SplittableRandom r, JsonNode container) {
        JsonNode offender = switch (r.nextInt(5)) {
            case 0 -> Json.nodes().numberNode(1.5);
            case 1 -> Json.nodes().numberNode(CanonicalJson.NUMBER_MAGNITUDE_MAX + 1);
            case 2 -> Json.nodes().numberNode(Long.MIN_VALUE);
            case 3 -> Json.nodes().numberNode(new BigInteger("123456789012345678901234567890"));
            default -> Json.nodes().textNode("x\ud800y");
        };
        JsonNode target = container;
        while (r.nextBoolean()) {
            List<JsonNode> inner = new ArrayList<>();
            target.elements().forEachRemaining(child -> {
                if (child.isContainerNode()) {
                    inner.add(child);
                }
            });
            if (inner.isEmpty()) {
                break;
            }
            target = inner.get(r.nextInt(inner.size()));
        }
        if (target instanceof ObjectNode o) {
            o.set(r.nextBoolean() ? "amount" : "\udc00", offender);
        } else {
            ((ArrayNode) target).add(offender);
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Exception failure(Call call) {
        try {
            call.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
