package ledger.audit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import ledger.audit.fixture.Seeded;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;

/** Round trips of random exports, and single-line tampering that must always be caught. */
class ExportVerifierProperties {

    private static final ExportVerifier VERIFIER = new ExportVerifier(TestLog.KEY.verifyingKey());
    private static final int SIZE_MAX = 70;
    private static final TestLog LOG = TestLog.standard(SIZE_MAX);

    private static ExportSummary verify(String export) throws Exception {
        return VERIFIER.verify(new ByteArrayInputStream(export.getBytes(StandardCharsets.UTF_8)));
    }

    private static long[] earlierSizes(SplittableRandom r, int n, int countMax) {
        long[] sizes = new long[r.nextInt(countMax + 1)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = r.nextInt(n + 1);
        }
        return sizes;
    }

    @Test
    void everyExportTheExporterWritesVerifies() throws Exception {
        Seeded.forAll("exporter output verifies", 40, r -> {
            int n = Seeded.between(r, 1, SIZE_MAX);
            int a = r.nextInt(n);
            long[] earlier = earlierSizes(r, n, 4);
            ExportSummary s = verify(TestLog.standard(n).export(a, earlier));
            assertEquals(n, s.treeSize());
            assertEquals(a, s.fromPosition());
            assertEquals(earlier.length, s.earlierCheckpoints());
        });
    }

    @Test
    void deletingDuplicatingOrSwappingAnyLineIsCaught() throws Exception {
        Seeded.forAll("single-line deletion, duplication or swap", 100, r -> {
            int n = Seeded.between(r, 1, 20);
            int a = r.nextInt(n);
            List<String> lines = new ArrayList<>(Arrays.asList(
                    TestLog.standard(n).export(a, earlierSizes(r, n, 2)).split("\n")));
            int x = r.nextInt(lines.size());
            int y = r.nextInt(lines.size());
            switch (r.nextInt(3)) {
                case 0 -> lines.remove(x);
                case 1 -> lines.add(x, lines.get(y));
                default -> {
                    if (lines.get(x).equals(lines.get(y))) {
                        lines.remove(x);
                    } else {
                        String t = lines.get(x);
                        lines.set(x, lines.get(y));
                        lines.set(y, t);
                    }
                }
            }
            String tampered = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
            assertThrows(VerificationException.class, () -> verify(tampered));
        });
    }

    @Test
    void changingAnyCharacterOfAnEventLineIsCaught() throws Exception {
        String[] full = LOG.export(0, 30).split("\n");
        String[] partial = LOG.export(7, 30).split("\n");
        Seeded.forAll("one changed character in an event line", 150, r -> {
            boolean isPartial = r.nextBoolean();
            String[] lines = (isPartial ? partial : full).clone();
            int lineIndex = 1 + r.nextInt(isPartial ? SIZE_MAX - 7 : SIZE_MAX);
            String line = lines[lineIndex];
            int k = r.nextInt(line.length());
            char replacement = (char) Seeded.between(r, 0x20, 0x7e);
            if (line.charAt(k) == replacement) {
                replacement = replacement == 'a' ? 'b' : 'a';
            }
            lines[lineIndex] = line.substring(0, k) + replacement + line.substring(k + 1);
            String tampered = String.join("\n", lines) + "\n";
            assertThrows(VerificationException.class, () -> verify(tampered));
        });
    }
}
