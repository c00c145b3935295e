package ledger.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parsers stream (docs/reconciliation.md, "Streaming"): a file larger than the heap parses.
 * Each format is parsed from a 24 MB synthetic file, made while it is read, in a separate JVM
 * limited to 16 MB of heap; a parser that collected its records would run out of memory. The
 * same probe at 100 MB in 32 MB is in docs/reconciliation.md.
 */
class ParsersStreamInBoundedHeapTest {
    private static final int FILE_MB = 24;
    private static final String HEAP = "-Xmx16m";

    @ParameterizedTest
    @ValueSource(strings = {"mt940", "camt", "csv"})
    void parsesAFileLargerThanItsHeap(String format) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), HEAP, "-cp", System.getProperty("java.class.path"),
                StreamingProbe.class.getName(), format, String.valueOf(FILE_MB))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        String line = output.lines().filter(l -> l.startsWith("format=")).findFirst().orElseThrow(() -> new IOException(output));
        System.out.println(line);
        long bytes = Long.parseLong(value(line, "bytes"));
        long entries = Long.parseLong(value(line, "entries"));
        assertThat(bytes).isGreaterThanOrEqualTo(FILE_MB * 1024L * 1024L);
        assertThat(Long.parseLong(value(line, "pushed"))).isEqualTo(entries).isPositive();
        assertThat(Long.parseLong(value(line, "maxHeapMb"))).isLessThan(FILE_MB);
    }

    private static String value(String line, String key) {
        for (String part : List.of(line.split(" "))) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException(key + " not in " + line);
    }
}
