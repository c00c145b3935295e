package ledger.audit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.fixture.GoldenExports;
import ledger.audit.fixture.TestLog;
import ledger.audit.proof.InclusionProofDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyTest {

    private static final String KEY = TestLog.KEY.verifyingKey().base64();

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AuditVerify.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path golden(String name) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, GoldenExports.build().get(name), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void verifyPrintsAOneLineSummaryAndExitsZero() throws Exception {
        Run r = run("verify", golden("valid-full.jsonl").toString(), "--public-key", KEY);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("OK ledger ledger-test tenant tenant-a: events 0..11"), r.out());
        assertEquals(1, r.out().lines().count());
    }

    @Test
    void verifyPrintsTheFirstFailingLineAndExitsOne() throws Exception {
        Run r = run("verify", golden("amount-changed-rehashed.jsonl").toString(), "--public-key", KEY);
        assertEquals(1, r.code());
        assertTrue(r.out().contains("line 9: check 3 (aggregate chain): Account acc-1 seq 3 prevHash: expected"),
                r.out());
    }

    @Test
    void verifyInclusionChecksASavedProofDocument() throws Exception {
        TestLog log = TestLog.standard(12);
        SignedCheckpoint cp = log.checkpoint(12, TestLog.KEY);
        Path proof = dir.resolve("proof.json");
        Files.writeString(proof, InclusionProofDocument.create("e-7", 7, log.leaves(), cp).toJson().toPrettyString());
        Run ok = run("verify-inclusion", proof.toString(), "--public-key", KEY);
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().startsWith("OK event e-7 with hash " + log.envelope(7).hash() + " is at position 7"), ok.out());

        Run other = run("verify-inclusion", proof.toString(), "--public-key", TestLog.OTHER_KEY.verifyingKey().base64());
        assertEquals(1, other.code());
        assertTrue(other.out().contains("check 4 (checkpoint signature)"), other.out());
    }

    @Test
    void badArgumentsKeysOrFilesExitTwo() throws Exception {
        assertEquals(2, run().code());
        assertEquals(2, run("verify", "x.jsonl").code());
        assertEquals(2, run("verify", golden("valid-full.jsonl").toString(), "--public-key", "not-a-key").code());
        assertEquals(2, run("verify", dir.resolve("missing.jsonl").toString(), "--public-key", KEY).code());
        assertEquals(0, run("--help").code());
    }
}
