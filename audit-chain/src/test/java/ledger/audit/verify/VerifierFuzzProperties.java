package ledger.audit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ledger.audit.Json;
import ledger.audit.fixture.Seeded;
import ledger.audit.fixture.TestLog;
import ledger.audit.proof.InclusionProofDocumentVerifier;
import org.junit.jupiter.api.Test;

/**
 * Random and half-valid input: the verifiers may only ever fail with {@link VerificationException}.
 * Any other exception fails the test and names the seed that reproduces it.
 */
class VerifierFuzzProperties {

    private static final ExportVerifier VERIFIER = new ExportVerifier(TestLog.KEY.verifyingKey());
    private static final TestLog LOG = TestLog.standard(9);
    private static final List<String> EXPORTS = List.of(LOG.export(0, 4), LOG.export(3, 2, 4));
    private static final List<String> NAMES = List.of("type", "v", "ledgerId", "tenant", "publicKey", "keyId",
            "fromPosition", "toPosition", "exportedAt", "position", "hash", "envelope", "inclusionProof", "checkpoint",
            "signature", "fromTreeSize", "toTreeSize", "proof", "treeSize", "rootHash", "issuedAt", "seq", "meta",
            "payload", "prevHash", "aggregateType", "aggregateId", "eventId", "eventType", "occurredAt", "actor",
            "correlationId", "x");
    private static final List<String> STRINGS = List.of("header", "event", "checkpoint", "consistency",
            "2025-06-01T12:00:00.000000Z", "0".repeat(64), "ab".repeat(32), "0011223344556677",
            TestLog.KEY.verifyingKey().base64(), "AAAA", "\ud800", "tenant-a", "ledger-test", "", "\u2028");

    private static void verifyQuietly(byte[] bytes) throws Exception {
        try {
            VERIFIER.verify(new ByteArrayInputStream(bytes));
        } catch (VerificationException expected) {
            // the only acceptable failure
        }
    }

    private static void verifyQuietly(String text) throws Exception {
        verifyQuietly(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(int which) {
        return EXPORTS.get(which).split("\n")[0] + "\n";
    }

    @Test
    void randomBytes() throws Exception {
        Seeded.forAll("random bytes", 300, r -> verifyQuietly(Seeded.bytes(r, 3000)));
    }

    @Test
    void randomBytesAfterAValidHeader() throws Exception {
        Seeded.forAll("random bytes after a header", 300, r -> {
            byte[] header = header(r.nextInt(2)).getBytes(StandardCharsets.UTF_8);
            byte[] tail = Seeded.bytes(r, 2000);
            byte[] all = new byte[header.length + tail.length];
            System.arraycopy(header, 0, all, 0, header.length);
            System.arraycopy(tail, 0, all, header.length, tail.length);
            verifyQuietly(all);
        });
    }

    @Test
    void randomJsonLines() throws Exception {
        Seeded.forAll("random JSON lines", 300, r -> {
            StringBuilder text = new StringBuilder();
            int prefix = r.nextInt(3);
            if (prefix > 0) {
                text.append(header(prefix - 1));
            }
            for (int i = r.nextInt(7); i > 0; i--) {
                text.append(object(r, 3)).append('\n');
            }
            verifyQuietly(text.toString());
        });
    }

    @Test
    void oneMemberOfAValidExportReplacedByRandomJson() throws Exception {
        Seeded.forAll("one member replaced by random JSON", 400, r -> {
            String[] lines = EXPORTS.get(r.nextInt(2)).split("\n");
            int li = r.nextInt(lines.length);
            ObjectNode line = (ObjectNode) Json.mapper().readTree(lines[li]);
            ObjectNode target = line;
            for (int depth = r.nextInt(3); depth > 0; depth--) { // into envelope, payload, meta, checkpoint
                ObjectNode current = target;
                List<String> inner = fieldNames(current).stream().filter(n -> current.get(n).isObject()).toList();
                if (inner.isEmpty()) {
                    break;
                }
                target = (ObjectNode) target.get(inner.get(r.nextInt(inner.size())));
            }
            List<String> names = fieldNames(target);
            if (!names.isEmpty()) {
                target.set(names.get(r.nextInt(names.size())), value(r, 2));
            }
            lines[li] = line.toString();
            verifyQuietly(String.join("\n", lines) + "\n");
        });
    }

    /**
     * Not only "no crash": any change to what the export proves is rejected. One scalar of an event
     * or checkpoint line changed to a different value, or an event line removed, duplicated or moved
     * (the header's informational members, docs/audit-chain.md section 5, are left alone).
     */
    @Test
    void everyChangeToAValidExportIsRejected() throws Exception {
        Seeded.forAll("a changed valid export is rejected", 600, r -> {
            String export = EXPORTS.get(r.nextInt(2));
            VERIFIER.verify(new ByteArrayInputStream(export.getBytes(StandardCharsets.UTF_8))); // valid as it is
            List<String> lines = new ArrayList<>(List.of(export.split("\n")));
            List<Integer> events = new ArrayList<>();
            List<Integer> proved = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String type = Json.mapper().readTree(lines.get(i)).path("type").asText();
                if (type.equals("event")) {
                    events.add(i);
                }
                if (!type.equals("header")) {
                    proved.add(i);
                }
            }
            String what;
            switch (r.nextInt(4)) {
                case 0 -> {
                    int i = events.get(r.nextInt(events.size()));
                    lines.remove(i);
                    what = "event line " + i + " removed";
                }
                case 1 -> {
                    int i = events.get(r.nextInt(events.size()));
                    lines.add(i, lines.get(i));
                    what = "event line " + i + " duplicated";
                }
                case 2 -> {
                    int i = events.get(r.nextInt(events.size()));
                    int j = events.get(r.nextInt(events.size()));
                    if (lines.get(i).equals(lines.get(j))) {
                        return; // the same line: nothing moved
                    }
                    String moved = lines.remove(i);
                    lines.add(j, moved);
                    what = "event line " + i + " moved to " + j;
                }
                default -> {
                    int i = proved.get(r.nextInt(proved.size()));
                    JsonNode line = Json.mapper().readTree(lines.get(i));
                    what = "line " + i + ": " + changeOneScalar(r, line);
                    lines.set(i, line.toString());
                }
            }
            String changed = String.join("\n", lines) + "\n";
            if (changed.equals(export)) {
                return;
            }
            try {
                VERIFIER.verify(new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8)));
            } catch (VerificationException expected) {
                return;
            }
            throw new AssertionError("a changed export verified: " + what);
        });
    }

    /** Changes one scalar somewhere in the JSON to a different value of the same kind; says which. */
    private static String changeOneScalar(SplittableRandom r, JsonNode root) {
        List<Object[]> scalars = new ArrayList<>(); // {parent, name or index}
        collectScalars(root, scalars);
        Object[] pick = scalars.get(r.nextInt(scalars.size()));
        JsonNode parent = (JsonNode) pick[0];
        JsonNode old = pick[1] instanceof String name ? parent.get(name) : parent.get((Integer) pick[1]);
        JsonNode changed;
        if (old.isTextual()) {
            String text = old.asText();
            int at = text.isEmpty() ? 0 : r.nextInt(text.length());
            char c = text.isEmpty() ? 'x' : text.charAt(at);
            char other = c == 'f' ? 'e' : (c == '9' ? '8' : (c == 'Z' ? 'Y' : (char) (c == 'z' ? 'y' : c + 1)));
            changed = Json.nodes().textNode(text.isEmpty() ? "x" : text.substring(0, at) + other + text.substring(at + 1));
        } else if (old.isBoolean()) {
            changed = Json.nodes().booleanNode(!old.asBoolean());
        } else if (old.isNumber()) {
            changed = Json.nodes().numberNode(old.bigIntegerValue().add(BigInteger.ONE));
        } else {
            changed = Json.nodes().textNode("x");
        }
        if (pick[1] instanceof String name) {
            ((ObjectNode) parent).set(name, changed);
            return name + " " + old + " -> " + changed;
        }
        ((ArrayNode) parent).set((Integer) pick[1], changed);
        return "[" + pick[1] + "] " + old + " -> " + changed;
    }

    private static void collectScalars(JsonNode node, List<Object[]> into) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                JsonNode child = node.get(name);
                if (child.isContainerNode()) {
                    collectScalars(child, into);
                } else {
                    into.add(new Object[] {node, name});
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isContainerNode()) {
                    collectScalars(node.get(i), into);
                } else {
                    into.add(new Object[] {node, i});
                }
            }
        }
    }

    @Test
    void randomInclusionProofDocuments() throws Exception {
        Seeded.forAll("random inclusion-proof documents", 300, r -> {
            byte[] doc = object(r, 3).toString().getBytes(StandardCharsets.UTF_8);
            try {
                InclusionProofDocumentVerifier.verify(new ByteArrayInputStream(doc), TestLog.KEY.verifyingKey());
            } catch (VerificationException expected) {
                // the only acceptable failure
            }
        });
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode object(SplittableRandom r, int depth) {
        ObjectNode o = Json.nodes().objectNode();
        for (int i = r.nextInt(9); i > 0; i--) {
            o.set(NAMES.get(r.nextInt(NAMES.size())), value(r, depth));
        }
        return o;
    }

    private static JsonNode value(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 0 ? 12 : 10);
        return switch (kind) {
            case 0 -> Json.nodes().numberNode(r.nextLong());
            case 1 -> Json.nodes().numberNode(Seeded.between(r, -3, 20));
            case 2 -> Json.nodes().numberNode(r.nextDouble() * 1e6 - 5e5);
            case 3 -> Json.nodes().numberNode(new BigInteger(120, new java.util.Random(r.nextLong())).negate());
            case 4 -> Json.nodes().textNode(randomString(r));
            case 5, 6 -> Json.nodes().textNode(STRINGS.get(r.nextInt(STRINGS.size())));
            case 7 -> Json.nodes().booleanNode(r.nextBoolean());
            case 8 -> Json.nodes().nullNode();
            case 9 -> Json.nodes().numberNode(r.nextInt(3));
            case 10 -> object(r, depth - 1);
            default -> {
                ArrayNode a = Json.nodes().arrayNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(value(r, depth - 1));
                }
                yield a;
            }
        };
    }

    private static String randomString(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(21); i > 0; i--) {
            s.append((char) (r.nextInt(4) == 0 ? r.nextInt(0x10000) : Seeded.between(r, 0x20, 0x7e)));
        }
        return s.toString();
    }
}
