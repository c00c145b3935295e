package ledger.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportReaderTest {

    private static ExportReader reader(String text) {
        return new ExportReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEveryKindOfLineInOrderWithLineNumbers() throws Exception {
        ExportReader r = reader(TestLog.standard(3).export(1, 2));
        assertInstanceOf(ExportHeader.class, r.next());
        assertEquals(1, r.lineNumber());
        EventLine e = assertInstanceOf(EventLine.class, r.next());
        assertEquals(1, e.position());
        assertTrue(e.hasInclusionProof());
        assertInstanceOf(EventLine.class, r.next());
        assertInstanceOf(CheckpointLine.class, r.next());
        ConsistencyLine c = assertInstanceOf(ConsistencyLine.class, r.next());
        assertEquals(2, c.fromTreeSize());
        assertEquals(3, c.toTreeSize());
        assertInstanceOf(CheckpointLine.class, r.next());
        assertEquals(6, r.lineNumber());
        assertNull(r.next());
        assertNull(r.next());
    }

    @Test
    void splitsOnlyOnLineFeedNotOnU2028() throws Exception {
        String line = TestLog.standard(1).export(0).split("\n")[1];
        assertTrue(line.contains("\u2028"));
        ExportReader r = reader(line + "\n");
        assertInstanceOf(EventLine.class, r.next());
        assertNull(r.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "[]", "{}", "{\"type\":1}", "{\"type\":\"other\"}", "{\"type\":\"header\"}", "nul",
        "{\"type\":\"event\",\"position\":0,\"hash\":\"00\",\"envelope\":{}}",
        "{\"type\":\"event\",\"position\":-1,\"hash\":\"" + "00" + "\",\"envelope\":{}}",
        "{\"type\":\"event\",\"position\":1.0,\"hash\":\"" + "0000000000000000000000000000000000000000000000000000000000000000" + "\",\"envelope\":{}}",
        "{\"type\":\"event\",\"position\":0,\"hash\":\"" + "0000000000000000000000000000000000000000000000000000000000000000" + "\",\"envelope\":[]}",
        "{\"type\":\"event\",\"position\":0,\"hash\":\"" + "0000000000000000000000000000000000000000000000000000000000000000" + "\",\"envelope\":{},\"x\":1}",
        "{\"type\":\"consistency\",\"fromTreeSize\":1,\"toTreeSize\":2,\"proof\":[\"zz\"]}",
        "{\"type\":\"consistency\",\"fromTreeSize\":1,\"toTreeSize\":2,\"proof\":{}}",
        "{\"type\":\"checkpoint\",\"checkpoint\":{},\"signature\":\"\"}",
        "{\"type\":\"consistency\",\"fromTreeSize\":1,\"toTreeSize\":2,\"proof\":[]} x",
        "{\"type\":\"consistency\",\"type\":\"consistency\",\"fromTreeSize\":1,\"toTreeSize\":2,\"proof\":[]}",
        "{'type':'consistency'}"})
    void rejectsMalformedLinesNamingTheLine(String line) throws Exception {
        ExportReader r = reader("{\"type\":\"consistency\",\"fromTreeSize\":1,\"toTreeSize\":2,\"proof\":[]}\n" + line + "\n");
        r.next();
        ExportFormatException e = assertThrows(ExportFormatException.class, r::next);
        assertEquals(2, e.line());
    }

    @Test
    void rejectsALineLongerThanTheLimit() throws Exception {
        byte[] huge = new byte[ExportReader.LINE_BYTES_MAX + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        ExportReader r = new ExportReader(new ByteArrayInputStream(huge));
        ExportFormatException e = assertThrows(ExportFormatException.class, r::next);
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("longer"), e.getMessage());
    }

    @Test
    void rejectsMalformedUtf8() throws Exception {
        byte[] bytes = {'{', '"', 't', (byte) 0xc3, (byte) 0x28, '"', '}', '\n'};
        ExportFormatException e = assertThrows(ExportFormatException.class,
                () -> new ExportReader(new ByteArrayInputStream(bytes)).next());
        assertTrue(e.getMessage().startsWith("not UTF-8"), e.getMessage());
    }
}
