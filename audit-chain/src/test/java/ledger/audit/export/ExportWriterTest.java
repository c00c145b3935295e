package ledger.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.util.List;
import ledger.audit.CanonicalJson;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;

class ExportWriterTest {

    private static final TestLog LOG = TestLog.standard(4);

    private static ExportHeader header(long a, long b) {
        return new ExportHeader(TestLog.LEDGER_ID, TestLog.TENANT, TestLog.KEY.verifyingKey().base64(),
                TestLog.KEY.keyId(), a, b, "2025-01-01T00:00:00.000000Z");
    }

    private static EventLine event(int p, List<String> proof) {
        StoredEvent s = LOG.stored(p);
        return new EventLine(p, s.hash(), s.envelope(), proof);
    }

    @Test
    void writesOneJcsLinePerCall() throws Exception {
        StringWriter out = new StringWriter();
        ExportWriter w = new ExportWriter(out);
        w.header(header(0, 0));
        w.event(event(0, null));
        w.finalCheckpoint(TestLog.standard(1).checkpoint(1, TestLog.KEY));
        String[] lines = out.toString().split("\n");
        assertEquals(3, lines.length);
        assertEquals("{\"exportedAt\":\"2025-01-01T00:00:00.000000Z\",\"fromPosition\":0,\"keyId\":\""
                + TestLog.KEY.keyId() + "\",\"ledgerId\":\"ledger-test\",\"publicKey\":\""
                + TestLog.KEY.verifyingKey().base64() + "\",\"tenant\":\"tenant-a\",\"toPosition\":0,\"type\":\"header\",\"v\":1}",
                lines[0]);
    }

    @Test
    void writesEachEventLineAsJcsOfTheWholeLine() throws Exception {
        assertEquals(CanonicalJson.canonicalString(event(0, null).toJson()), writtenEventLine(0, event(0, null)));
        EventLine withProof = event(2, List.of("ab".repeat(32), "cd".repeat(32)));
        assertEquals(CanonicalJson.canonicalString(withProof.toJson()), writtenEventLine(2, withProof));
    }

    private static String writtenEventLine(long from, EventLine e) throws Exception {
        StringWriter out = new StringWriter();
        ExportWriter w = new ExportWriter(out);
        w.header(header(from, 3));
        w.event(e);
        return out.toString().split("\n")[1];
    }

    @Test
    void refusesLinesOutOfOrder() throws Exception {
        ExportWriter w = new ExportWriter(new StringWriter());
        assertThrows(IllegalStateException.class, () -> w.event(event(0, null)));
        w.header(header(0, 1));
        assertThrows(IllegalStateException.class, () -> w.event(event(1, null)));
        assertThrows(IllegalStateException.class, () -> w.event(event(0, List.of())));
        assertThrows(IllegalStateException.class, () -> w.finalCheckpoint(LOG.checkpoint(2, TestLog.KEY)));
        w.event(event(0, null));
        w.event(event(1, null));
        assertThrows(IllegalStateException.class, () -> w.event(event(2, null)));
        SignedCheckpoint one = LOG.checkpoint(1, TestLog.KEY);
        assertThrows(IllegalStateException.class,
                () -> w.earlierCheckpoint(one, new ConsistencyLine(1, 3, List.of())));
        assertThrows(IllegalStateException.class, () -> w.finalCheckpoint(LOG.checkpoint(3, TestLog.KEY)));
    }

    @Test
    void refusesAnEventWhoseStoredHashIsNotItsEnvelopes() throws Exception {
        ExportWriter w = new ExportWriter(new StringWriter());
        w.header(header(0, 0));
        StoredEvent s = LOG.stored(0);
        ((ObjectNode) s.envelope().get("payload")).put("amount", "0.01");
        assertThrows(IllegalStateException.class, () -> w.event(new EventLine(0, s.hash(), s.envelope(), null)));
    }

    @Test
    void exporterRefusesAFinalCheckpointThatIsNotTheLog() {
        SignedCheckpoint wrongRoot = SignedCheckpoint.issue(TestLog.KEY, TestLog.LEDGER_ID, TestLog.TENANT, 4,
                Sha256.hex(new byte[32]), TestLog.EPOCH);
        assertThrows(IllegalArgumentException.class, () -> LOG.export(0, List.of(), wrongRoot));
    }
}
