package ledger.audit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import ledger.audit.fixture.GoldenExports;
import ledger.audit.fixture.Seeded;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;

/**
 * The verifier reads event lines in the writer's form straight from their bytes
 * ({@link ledger.audit.export.ExportReader#scanEvent}) and everything else through the full JSON
 * parse. Reading every line through the full parse must give exactly the same outcome: the same
 * summary, or the same failure (line, check and message), for valid, tampered and garbled exports.
 */
class EventScanEquivalenceProperties {

    private static final ExportVerifier SCANNING = new ExportVerifier(TestLog.KEY.verifyingKey());
    private static final ExportVerifier PARSING = new ExportVerifier(TestLog.KEY.verifyingKey(), false);

    private static String outcome(ExportVerifier verifier, byte[] export) throws Exception {
        try {
            return "OK " + verifier.verify(new ByteArrayInputStream(export));
        } catch (VerificationException e) {
            return "FAIL line " + e.line() + " check " + e.check() + ": " + e.getMessage();
        }
    }

    private static void assertSameOutcome(byte[] export) throws Exception {
        assertEquals(outcome(PARSING, export), outcome(SCANNING, export),
                () -> new String(export, StandardCharsets.UTF_8));
    }

    @Test
    void goldenExports() throws Exception {
        for (GoldenExports.Case c : GoldenExports.cases()) {
            assertSameOutcome(GoldenExportTest.resource(c.file()));
        }
    }

    @Test
    void exportsWithOneToThreeByteLevelEdits() throws Exception {
        Seeded.forAll("scanned and parsed verification agree on edited exports", 1500, r -> {
            int n = Seeded.between(r, 1, 14);
            TestLog log = r.nextInt(4) == 0 ? TestLog.fork(n, r.nextInt(n)) : TestLog.standard(n);
            String export = log.export(r.nextInt(3) == 0 ? r.nextInt(n) : 0, r.nextBoolean() ? new long[0]
                    : new long[] {r.nextInt(n + 1)});
            byte[] bytes = export.getBytes(StandardCharsets.UTF_8);
            for (int edits = r.nextInt(0, 4); edits > 0; edits--) {
                bytes = edit(r, bytes);
            }
            assertSameOutcome(bytes);
        });
    }

    private static final String[] TOKENS = {"\"", "\\", "\\u0001", "\\u001F", "\\/", "0", "1", "-", "-0", ".0", "e1",
        " ", "\r", "\n", "{", "}", "[", "]", ",", ":", "null", "\"x\":1,", "\u00e4", "\ud83d\ude00", "a", "A", "f"};

    /** Replaces, inserts or deletes a few bytes, mostly inside an event line. */
    private static byte[] edit(SplittableRandom r, byte[] bytes) {
        int at = r.nextInt(bytes.length + 1);
        int removed = Math.min(bytes.length - at, r.nextInt(0, 3));
        byte[] insert = switch (r.nextInt(4)) {
            case 0 -> new byte[] {(byte) r.nextInt(256)};
            case 1 -> new byte[0];
            default -> TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.write(insert, 0, insert.length);
        out.write(bytes, at + removed, bytes.length - at - removed);
        return out.toByteArray();
    }
}
