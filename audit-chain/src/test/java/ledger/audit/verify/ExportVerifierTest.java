package ledger.audit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;

class ExportVerifierTest {

    private static final ExportVerifier VERIFIER = new ExportVerifier(TestLog.KEY.verifyingKey());
    private static final TestLog LOG = TestLog.standard(12);

    static ExportSummary verify(String export) throws Exception {
        return VERIFIER.verify(new ByteArrayInputStream(export.getBytes(StandardCharsets.UTF_8)));
    }

    static VerificationException failure(String export) {
        return assertThrows(VerificationException.class, () -> verify(export));
    }

    static String[] lines(String export) {
        return export.split("\n");
    }

    static String join(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void summaryNamesWhatWasProved() throws Exception {
        ExportSummary s = verify(LOG.export(0, 5, 9));
        assertEquals(new ExportSummary(TestLog.LEDGER_ID, TestLog.TENANT, 0, 11, 12, LOG.root(12),
                "2025-06-01T12:12:00.123456Z", TestLog.KEY.keyId(), 3, 2), s);
        assertTrue(s.toString().startsWith("OK ledger ledger-test tenant tenant-a: events 0..11"), s.toString());
    }

    @Test
    void acceptsASingleEventLogAndEarlierCheckpointsOfSizeZeroAndOfTheFinalSize() throws Exception {
        TestLog one = TestLog.standard(1);
        verify(one.export(0));
        verify(one.export(0, 0, 1));
        verify(LOG.export(0, 0, 12, 1, 8));
        verify(LOG.export(11, 0, 12, 11));
    }

    @Test
    void acceptsCrLfLineEndingsAndAMissingFinalNewline() throws Exception {
        String export = LOG.export(3, 4);
        verify(export.replace("\n", "\r\n"));
        verify(export.substring(0, export.length() - 1));
    }

    @Test
    void rejectsAnEarlierCheckpointLargerThanTheFinalOne() {
        TestLog longer = TestLog.standard(14);
        SignedCheckpoint future = longer.checkpoint(13, TestLog.KEY);
        List<String> l = new ArrayList<>(Arrays.asList(lines(LOG.export(0))));
        l.add(1 + 12, "{\"checkpoint\":" + future.checkpoint().toJson() + ",\"signature\":\"" + future.signature()
                + "\",\"type\":\"checkpoint\"}");
        l.add(2 + 12, "{\"fromTreeSize\":13,\"proof\":[],\"toTreeSize\":12,\"type\":\"consistency\"}");
        VerificationException e = failure(join(l));
        assertEquals(Check.EARLIER_CHECKPOINT, e.check());
        assertEquals(14, e.line());
    }

    @Test
    void rejectsAnEarlierCheckpointSignedByAnotherKey() {
        String[] l = lines(LOG.export(0, 5));
        SignedCheckpoint forged = LOG.checkpoint(5, TestLog.OTHER_KEY);
        l[13] = "{\"checkpoint\":" + forged.checkpoint().toJson() + ",\"signature\":\"" + forged.signature()
                + "\",\"type\":\"checkpoint\"}";
        VerificationException e = failure(join(Arrays.asList(l)));
        assertEquals(Check.EARLIER_CHECKPOINT, e.check());
        assertEquals(14, e.line());
    }

    @Test
    void reportsAWrongInclusionProofOnTheFirstEventLine() {
        String[] l = lines(LOG.export(4));
        l[1] = flipFirstProofHash(l[1]);
        VerificationException e = failure(join(Arrays.asList(l)));
        assertEquals(Check.TREE, e.check());
        assertEquals(2, e.line());
    }

    @Test
    void reportsAnInclusionProofOfTheWrongLengthOnItsLine() {
        String[] l = lines(LOG.export(4));
        l[3] = l[3].replaceFirst("\"inclusionProof\":\\[\"[0-9a-f]{64}\",", "\"inclusionProof\":[");
        VerificationException e = failure(join(Arrays.asList(l)));
        assertEquals(Check.TREE, e.check());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
    }

    @Test
    void rejectsProofsWhereNoneBelongAndNoProofsWhereTheyMust() {
        String full = LOG.export(0);
        String partial = LOG.export(1);
        String proofLine = lines(partial)[1];
        String[] l = lines(full);
        l[2] = proofLine; // position 1 with a proof, in an export from 0
        assertEquals(Check.FORMAT, failure(join(Arrays.asList(l))).check());
        String[] p = lines(partial);
        p[1] = lines(full)[2];
        VerificationException e = failure(join(Arrays.asList(p)));
        assertEquals(Check.FORMAT, e.check());
        assertTrue(e.getMessage().contains("inclusionProof"), e.getMessage());
    }

    @Test
    void rejectsAnEnvelopeOfAnotherTenant() {
        String[] l = lines(LOG.export(0));
        l[1] = l[1].replace("\"tenant\":\"tenant-a\"", "\"tenant\":\"tenant-b\"");
        VerificationException e = failure(join(Arrays.asList(l)));
        assertEquals(Check.FORMAT, e.check());
        assertEquals(2, e.line());
    }

    @Test
    void rejectsAnythingAfterTheFinalCheckpoint() {
        String export = LOG.export(0);
        VerificationException e = failure(export + lines(export)[13] + "\n");
        assertEquals(Check.FORMAT, e.check());
        assertEquals(15, e.line());
    }

    @Test
    void rejectsInvalidUtf8OnItsOwnLine() {
        byte[] bytes = LOG.export(0).getBytes(StandardCharsets.UTF_8);
        int start = indexOfLine(bytes, 5);
        byte[] broken = bytes.clone();
        broken[start + 3] = (byte) 0xff;
        VerificationException e = assertThrows(VerificationException.class,
                () -> VERIFIER.verify(new ByteArrayInputStream(broken)));
        assertEquals(Check.FORMAT, e.check());
        assertEquals(5, e.line());
    }

    @Test
    void rejectsDuplicateKeysAndBlankLines() {
        String[] l = lines(LOG.export(0));
        l[2] = l[2].replace("{\"envelope\"", "{\"position\":1,\"envelope\"");
        VerificationException e = failure(join(Arrays.asList(l)));
        assertEquals(Check.FORMAT, e.check());
        assertEquals(3, e.line());
        List<String> withBlank = new ArrayList<>(Arrays.asList(lines(LOG.export(0))));
        withBlank.add(4, "");
        assertEquals(5, failure(join(withBlank)).line());
    }

    @Test
    void rejectsSeqZeroWithAnotherPrevHashAsAChainBreak() throws Exception {
        String[] l = lines(LOG.export(0));
        com.fasterxml.jackson.databind.node.ObjectNode line =
                (com.fasterxml.jackson.databind.node.ObjectNode) ledger.audit.Json.mapper().readTree(l[2]);
        ((com.fasterxml.jackson.databind.node.ObjectNode) line.get("envelope")).put("prevHash", "ab".repeat(32));
        line.put("hash", Sha256.hex(Sha256.digest(ledger.audit.CanonicalJson.canonicalize(line.get("envelope")))));
        l[2] = line.toString();
        VerificationException e = failure(join(Arrays.asList(l)));
        assertEquals(Check.CHAIN, e.check());
        assertEquals(3, e.line());
    }

    static String flipFirstProofHash(String line) {
        int i = line.indexOf("\"inclusionProof\":[\"") + "\"inclusionProof\":[\"".length();
        char c = line.charAt(i);
        return line.substring(0, i) + (c == '0' ? '1' : '0') + line.substring(i + 1);
    }

    private static int indexOfLine(byte[] bytes, int line) {
        int current = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (current == line) {
                return i;
            }
            if (bytes[i] == '\n') {
                current++;
            }
        }
        throw new IllegalArgumentException("no line " + line);
    }

    @Test
    void leafStoreCrossesChunkBoundaries() {
        LeafStore store = new LeafStore();
        int count = (1 << 15) * 2 + 7;
        for (int i = 0; i < count; i++) {
            assertTrue(store.append(Sha256.digest(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)})));
        }
        assertEquals(count, store.size());
        for (int i : new int[] {0, (1 << 15) - 1, 1 << 15, count - 1}) {
            assertEquals(Sha256.hex(Sha256.digest(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)})),
                    Sha256.hex(store.leaf(i)));
        }
    }
}
