package ledger.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The rates the FX and settlement tests use, written where the service looks by default
 * ({@code <data dir>/fx-rates.csv}, docs/settlement.md "Configuration"). The service loads the file
 * on the first quote, so writing it after the shared service started is enough.
 */
public final class FxRatesFile {
    public static final String RATES = """
            # rates of the settlement tests
            base,quote,bid,ask
            USD,JPY,154.10,154.30
            EUR,USD,1.0790,1.0810
            USD,BHD,0.376,0.377
            """;

    private FxRatesFile() {
    }

    public static void write() {
        try {
            Files.createDirectories(LedgerServiceIT.DATA_DIR);
            Files.writeString(LedgerServiceIT.DATA_DIR.resolve("fx-rates.csv"), RATES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
