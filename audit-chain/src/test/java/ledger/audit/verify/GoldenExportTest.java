package ledger.audit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import ledger.audit.fixture.GoldenExports;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed golden exports: valid ones pass, each tampered one fails on the right line and check. */
class GoldenExportTest {

    private static final ExportVerifier VERIFIER = new ExportVerifier(TestLog.KEY.verifyingKey());

    static Stream<GoldenExports.Case> cases() {
        return GoldenExports.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verifierReportsTheExpectedLineAndCheck(GoldenExports.Case c) throws Exception {
        byte[] content = resource(c.file());
        if (c.check() == null) {
            ExportSummary summary = VERIFIER.verify(new ByteArrayInputStream(content));
            assertEquals(TestLog.TENANT, summary.tenant());
            return;
        }
        VerificationException e = assertThrows(VerificationException.class,
                () -> VERIFIER.verify(new ByteArrayInputStream(content)), c.why());
        assertEquals(c.check(), e.check(), c.file() + ": " + e.getMessage());
        assertEquals(c.line(), e.line(), c.file() + ": " + e.getMessage());
    }

    @Test
    void committedFilesAreExactlyWhatTheGeneratorWrites() throws Exception {
        Map<String, String> expected = GoldenExports.build();
        assertEquals(GoldenExports.cases().stream().map(GoldenExports.Case::file).toList(),
                expected.keySet().stream().toList());
        for (Map.Entry<String, String> f : expected.entrySet()) {
            assertEquals(f.getValue(), new String(resource(f.getKey()), StandardCharsets.UTF_8),
                    f.getKey() + " differs from GoldenExports.build(); rerun GoldenExports.main if the change is deliberate");
        }
    }

    @Test
    void validExportsFailWithAnotherTrustedKey() {
        ExportVerifier other = new ExportVerifier(TestLog.OTHER_KEY.verifyingKey());
        for (String file : new String[] {"valid-full.jsonl", "valid-partial.jsonl"}) {
            VerificationException e = assertThrows(VerificationException.class,
                    () -> other.verify(new ByteArrayInputStream(resource(file))));
            assertEquals(Check.SIGNATURE, e.check());
            assertEquals(1, e.line());
        }
    }

    static byte[] resource(String file) throws IOException {
        try (InputStream in = GoldenExportTest.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) {
                throw new IOException("missing golden file " + file + "; run GoldenExports.main");
            }
            return in.readAllBytes();
        }
    }
}
