package ledger.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark export of {@code COUNT} events (header, events, signed final checkpoint) to
 * a file, streaming, and prints the public key to verify it with:
 *
 * <pre>
 * java -cp ledger-bench/target/benchmarks.jar ledger.bench.ExportFile FILE COUNT
 * java -Xmx128m -jar audit-chain/target/audit-verify.jar verify FILE --public-key KEY
 * </pre>
 */
public final class ExportFile {

    /** Ten million events are about 6.4 GB; more is a typo. */
    private static final int COUNT_MAX = 10_000_000;

    private ExportFile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ExportFile FILE COUNT");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        if (count < 1 || count > COUNT_MAX) {
            System.err.println("COUNT must be in 1.." + COUNT_MAX);
            System.exit(2);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            AuditFixtures.writeExport(count, out);
        }
        System.out.println(file + ": " + count + " events, " + Files.size(file) + " bytes; public key "
                + AuditFixtures.KEY.verifyingKey().base64());
    }
}
