package ledger.reconciliation;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a synthetic statement of at least N MB to a file (the same statement {@link StreamingProbe}
 * parses), for the upload benchmark in docs/reconciliation.md:
 * {@code java -cp … ledger.reconciliation.GeneratedStatementFile camt 100 reconciliation/target/big-camt053.xml}.
 * Nothing it writes is committed.
 */
public final class GeneratedStatementFile {
    private GeneratedStatementFile() {
    }

    public static void main(String[] args) throws Exception {
        long bytesMin = Long.parseLong(args[1]) * 1024 * 1024;
        Path target = Path.of(args[2]);
        try (InputStream in = switch (args[0]) {
            case "mt940" -> StreamingProbe.mt940(bytesMin);
            case "camt" -> StreamingProbe.camt(bytesMin);
            case "csv" -> StreamingProbe.stripe(bytesMin);
            default -> throw new IllegalArgumentException("format: mt940, camt or csv");
        }; OutputStream out = Files.newOutputStream(target)) {
            System.out.println(target + ": " + in.transferTo(out) + " bytes");
        }
    }
}
