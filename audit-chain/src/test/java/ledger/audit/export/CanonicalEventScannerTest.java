package ledger.audit.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import ledger.audit.CanonicalJson;
import ledger.audit.Envelope;
import ledger.audit.EnvelopeFormatException;
import ledger.audit.Json;
import ledger.audit.NumberRuleException;
import ledger.audit.fixture.RandomJson;
import ledger.audit.fixture.Seeded;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner is a shortcut: whatever it accepts, the full parse ({@link ExportReader#parse} and
 * {@link Envelope#parse}) accepts too, with the same values and canonical bytes; whatever else it
 * declines. These tests compare the two on the writer's lines, on random canonical envelopes and
 * on mutated lines.
 */
class CanonicalEventScannerTest {

    private static final String LINE = eventLines(TestLog.standard(1).export(0)).get(0);
    private static final String ZEROS = "0".repeat(64);

    /** What the full path makes of one line (without its line feed), or null when it refuses the line. */
    static ParsedEvent full(byte[] line) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        try {
            if (!(ExportReader.parse(1, text) instanceof EventLine e)) {
                return null;
            }
            return ParsedEvent.of(e, Envelope.parse(e.envelope()));
        } catch (ExportFormatException | EnvelopeFormatException | NumberRuleException e) {
            return null;
        }
    }

    static ParsedEvent scan(byte[] line) {
        return new CanonicalEventScanner().scan(line, line.length);
    }

    static ParsedEvent scan(String line) {
        return scan(utf8(line));
    }

    static void assertSameEvent(ParsedEvent expected, ParsedEvent actual, String why) {
        assertNotNull(expected, "the scanner accepted what the full parse refuses: " + why);
        assertEquals(expected.position(), actual.position(), why);
        assertArrayEquals(expected.hash(), actual.hash(), why);
        assertEquals(expected.hasInclusionProof(), actual.hasInclusionProof(), why);
        if (expected.hasInclusionProof()) {
            assertEquals(expected.inclusionProof().size(), actual.inclusionProof().size(), why);
            for (int i = 0; i < expected.inclusionProof().size(); i++) {
                assertArrayEquals(expected.inclusionProof().get(i), actual.inclusionProof().get(i), why);
            }
        }
        assertEquals(expected.tenant(), actual.tenant(), why);
        assertEquals(expected.aggregateType(), actual.aggregateType(), why);
        assertEquals(expected.aggregateId(), actual.aggregateId(), why);
        assertEquals(expected.seq(), actual.seq(), why);
        assertArrayEquals(expected.prevHash(), actual.prevHash(), why);
        assertArrayEquals(expected.canonicalEnvelope(), actual.canonicalEnvelope(), why);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> eventLines(String export) {
        return Arrays.stream(export.split("\n")).filter(l -> l.startsWith("{\"envelope\"")).toList();
    }

    @Test
    void acceptsEveryEventLineOfTheExporterWithTheFullParsesValues() {
        TestLog log = TestLog.standard(13);
        List<String> lines = new ArrayList<>(eventLines(log.export(0, 5)));
        lines.addAll(eventLines(log.export(4, 5)));
        assertEquals(13 + 9, lines.size());
        for (String line : lines) {
            ParsedEvent fast = scan(line);
            assertNotNull(fast, line);
            assertSameEvent(full(utf8(line)), fast, line);
        }
    }

    @Test
    void acceptsRandomCanonicalEnvelopesWithTheFullParsesValues() throws Exception {
        Seeded.forAll("random canonical event lines", 500, r -> {
            String line = randomEventLine(r);
            ParsedEvent fast = scan(line);
            assertNotNull(fast, line);
            assertSameEvent(full(utf8(line)), fast, line);
        });
    }

    @Test
    void neverAcceptsAMutatedLineThatTheFullParseRefusesOrReadsDifferently() throws Exception {
        int[] accepted = new int[1];
        int tries = 3000;
        Seeded.forAll("mutated event lines", tries, r -> {
            byte[] line = mutate(r, utf8(r.nextInt(4) == 0 ? LINE : randomEventLine(r)));
            ParsedEvent fast = scan(line);
            if (fast != null) {
                accepted[0]++;
                assertSameEvent(full(line), fast, new String(line, StandardCharsets.ISO_8859_1));
            }
        });
        System.out.println("mutated event lines: " + accepted[0] + " accepted by the scanner");
        // Some mutations (a changed letter or digit) keep the canonical form; they must be among the tries.
        assertTrue(accepted[0] > 0 && accepted[0] < Integer.getInteger("audit.tries", tries),
                accepted[0] + " mutated lines accepted");
    }

    /** Valid lines, but not in the writer's form: the scanner leaves them to the full parse. */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"legs\":2|\"legs\": 2",
        "\"amount\":\"12.00\",\"currency\":\"EUR\"|\"currency\":\"EUR\",\"amount\":\"12.00\"",
        "\"EUR\"|\"E\\u0055R\"",
        "\"EUR\"|\"E\\/R\"",
        "\\u0001|\\u0001\\u001F",
        "\"legs\":2|\"legs\":-0",
        "\"legs\":2|\"l\u00e4gs\":2",
        "\"position\":0,\"type\":\"event\"|\"type\":\"event\",\"position\":0",
        "\"type\":\"event\"}|\"type\":\"event\"}\r",
        "{\"envelope\":|{ \"envelope\":"})
    void declinesValidLinesNotInTheWritersForm(String replacement) {
        String[] parts = replacement.split("\\|", 2);
        assertTrue(LINE.contains(parts[0]), parts[0]);
        String line = LINE.replace(parts[0], parts[1]);
        assertNotNull(full(utf8(line)), "the full parse should accept " + line);
        assertNull(scan(line), line);
    }

    @Test
    void declinesNestingDeeperThanItsLimitButNotAtIt() {
        for (int depth : new int[] {CanonicalEventScanner.PAYLOAD_DEPTH_MAX, CanonicalEventScanner.PAYLOAD_DEPTH_MAX + 1,
            CanonicalEventScanner.PAYLOAD_DEPTH_MAX + 50}) {
            // the payload is depth 1, so depth - 1 arrays around the number reach depth
            String nested = "[".repeat(depth - 1) + "2" + "]".repeat(depth - 1);
            String line = LINE.replace("\"legs\":2", "\"legs\":" + nested);
            ParsedEvent slow = full(utf8(line));
            assertNotNull(slow, "the full parse should accept depth " + depth);
            ParsedEvent fast = scan(line);
            if (depth <= CanonicalEventScanner.PAYLOAD_DEPTH_MAX) {
                assertSameEvent(slow, fast, "depth " + depth);
            } else {
                assertNull(fast, "depth " + depth);
            }
        }
    }

    /** Invalid lines: both refuse them (the full parse then reports why). */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"legs\":2|\"legs\":2.0",
        "\"legs\":2|\"legs\":1e3",
        "\"legs\":2|\"legs\":02",
        "\"legs\":2|\"legs\":+2",
        "\"legs\":2|\"legs\":9007199254740992",
        "\"legs\":2|\"legs\":-9007199254740992",
        "\"legs\":2|\"legs\":99999999999999999999",
        "\"legs\":2|\"legs\":tru",
        "\"currency\":\"EUR\"|\"currency\":\"EUR\",\"currency\":\"EUR\"",
        "\"EUR\"|\"\\ud800\"",
        "\"EUR\"|\"\\udc00\\ud800\"",
        "\"EUR\"|\"E\u0001R\"",
        "\"EUR\"|\"E\\xR\"",
        "\"v\":1}|\"v\":2}",
        "\"v\":1}|\"v\":1,\"w\":1}",
        "\"v\":1}|\"v\":1.0}",
        "2025-06-01T12:00:00.123456Z|2025-02-30T12:00:00.123456Z",
        "2025-06-01T12:00:00.123456Z|2025-06-01T12:00:00.12345Z",
        "\"actor\":\"user-0\",|",
        "\"actor\":\"user-0\"|\"actor\":1",
        "\"meta\":{\"actor\":\"user-0\",\"correlationId\":\"corr-0\"}|\"meta\":{}",
        "\"prevHash\":\"0000|\"prevHash\":\"000A",
        "\"seq\":0|\"seq\":-1",
        "\"seq\":0|\"seq\":\"0\"",
        "\"tenant\":\"tenant-a\"|\"tenant\":7",
        "\"payload\":{|\"payload\":[{",
        "\"position\":0|\"position\":-1",
        "\"position\":0|\"position\":0.5",
        "\"type\":\"event\"}|\"type\":\"event\"} x",
        "\"type\":\"event\"}|\"type\":\"event\"",
        "\"type\":\"event\"}|\"type\":\"header\"}",
        "\"position\":0|\"inclusionProof\":[\"zz\"],\"position\":0"})
    void refusesInvalidLinesAsTheFullParseDoes(String replacement) {
        String[] parts = replacement.split("\\|", 2);
        assertTrue(LINE.contains(parts[0]), parts[0]);
        String line = LINE.replace(parts[0], parts[1]);
        assertNull(full(utf8(line)), "the full parse should refuse " + line);
        assertNull(scan(line), line);
    }

    @Test
    void refusesMalformedUtf8AsTheFullParseDoes() {
        int at = LINE.indexOf("EUR") + 1;
        byte[][] malformed = {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xc1, (byte) 0xbf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xed, (byte) 0xbf, (byte) 0xbf},
            {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xaf}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xe2, (byte) 0x82},
            {(byte) 0xff}, {(byte) 0xc3}};
        for (byte[] bad : malformed) {
            byte[] line = splice(utf8(LINE), at, 0, bad);
            assertNull(full(line), Arrays.toString(bad));
            assertNull(scan(line), Arrays.toString(bad));
        }
        byte[][] wellFormed = {{(byte) 0xc2, (byte) 0x80}, {(byte) 0xe0, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xed, (byte) 0x9f, (byte) 0xbf}, {(byte) 0xee, (byte) 0x80, (byte) 0x80},
            {(byte) 0xef, (byte) 0xbf, (byte) 0xbf}, {(byte) 0xf0, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xf4, (byte) 0x8f, (byte) 0xbf, (byte) 0xbf}, {0x7f}};
        for (byte[] good : wellFormed) {
            byte[] line = splice(utf8(LINE), at, 0, good);
            ParsedEvent fast = scan(line);
            assertNotNull(fast, Arrays.toString(good));
            assertSameEvent(full(line), fast, Arrays.toString(good));
        }
    }

    @Test
    void takesAnInclusionProofOfUpTo256HashesAsTheFullParseDoes() {
        String line = eventLines(TestLog.standard(3).export(1)).get(0);
        int from = line.indexOf("\"inclusionProof\":[") + "\"inclusionProof\":[".length();
        int to = line.indexOf(']', from);
        for (int n : new int[] {0, 1, 256, 257}) {
            String proof = String.join(",", Collections.nCopies(n, "\"" + "ab".repeat(32) + "\""));
            String changed = line.substring(0, from) + proof + line.substring(to);
            ParsedEvent slow = full(utf8(changed));
            assertEquals(n <= ExportReader.PROOF_HASHES_MAX, slow != null, "proof of " + n);
            ParsedEvent fast = scan(changed);
            if (slow == null) {
                assertNull(fast);
            } else {
                assertSameEvent(slow, fast, "proof of " + n);
            }
        }
    }

    // ---- generators ----

    /** An event line as the writer writes it, around a random envelope that the Envelope record accepts. */
    static String randomEventLine(SplittableRandom r) {
        Envelope e = RandomJson.envelope(r);
        List<String> proof = null;
        if (r.nextBoolean()) {
            proof = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                proof.add(i % 2 == 0 ? ZEROS : "fedcba9876543210".repeat(4));
            }
        }
        long position = r.nextBoolean() ? r.nextInt(1, 100) : CanonicalJson.NUMBER_MAGNITUDE_MAX;
        StringWriter out = new StringWriter();
        try {
            ExportWriter writer = new ExportWriter(out);
            if (proof == null) {
                // the writer insists on position 0 in an export without proofs; renumber the line below
                writer.header(new ExportHeader("l", "t", "k", "0011223344556677", 0, 0, "2025-06-01T12:00:00.000000Z"));
                writer.event(new EventLine(0, e.hash(), e.toJson(), null));
            } else {
                writer.header(new ExportHeader("l", "t", "k", "0011223344556677", position, position,
                        "2025-06-01T12:00:00.000000Z"));
                writer.event(new EventLine(position, e.hash(), e.toJson(), proof));
            }
            out.flush();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        String line = out.toString().split("\n")[1];
        return proof == null ? line.replace(",\"position\":0,", ",\"position\":" + position + ",") : line;
    }

    private static final String[] TOKENS = {"\"", "\\", "\\u", "\\u00", "\\u001", "\\u0020", "\\n", "\\/", "0", "1", "9",
        "-", "-0", ".", ".5", "e", "E", "+", " ", "\t", "\r", "{", "}", "[", "]", ",", ":", "true", "null", "fals",
        "\"a\":", "\"a\":1,", ",\"z\":0", "\u00e4", "\u2028", "\ud83d\ude00", "\u0001", "A", "a", "f", "F", "u"};
    private static final byte[][] RAW = {{(byte) 0xc3}, {(byte) 0xa4}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x80},
        {0x00}, {0x1f}, {0x7f}, {(byte) 0xff}};

    /** One to three random edits: replace, insert or delete bytes, or copy a piece of the line elsewhere. */
    static byte[] mutate(SplittableRandom r, byte[] line) {
        byte[] out = line;
        for (int edits = r.nextInt(1, 4); edits > 0; edits--) {
            int at = r.nextInt(out.length + 1);
            int length = Math.min(out.length - at, r.nextInt(0, 4));
            byte[] insert = switch (r.nextInt(5)) {
                case 0 -> RAW[r.nextInt(RAW.length)];
                case 1 -> {
                    int from = r.nextInt(out.length);
                    yield Arrays.copyOfRange(out, from, Math.min(out.length, from + r.nextInt(1, 40)));
                }
                case 2 -> new byte[0];
                default -> utf8(TOKENS[r.nextInt(TOKENS.length)]);
            };
            out = splice(out, at, length, insert);
        }
        return out;
    }

    private static byte[] splice(byte[] bytes, int at, int removed, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.write(insert, 0, insert.length);
        out.write(bytes, at + removed, bytes.length - at - removed);
        return out.toByteArray();
    }
}
