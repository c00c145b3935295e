package ledger.api.settlement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import ledger.domain.money.Currencies;
import ledger.fx.provider.CsvRateTable;
import ledger.fx.provider.RateTableFormatException;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RateProvider;
import ledger.fx.rate.RateProviderException;

/**
 * The rates file as a provider that may start before its file exists: until the file is there (and
 * parses), every call fails saying why, and the router answers {@code rate_unavailable}. Once loaded,
 * {@link CsvRateTable} keeps it current (reload on change, previous table kept on a bad rewrite).
 */
final class RatesFile implements RateProvider {
    static final String NAME = "rates-file";

    private final Path file;
    private final Currencies currencies;
    private final Clock clock;
    private volatile CsvRateTable table;

    RatesFile(Path file, Currencies currencies, Clock clock) {
        this.file = file;
        this.currencies = currencies;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProviderRate rate(CurrencyPair pair) throws RateProviderException {
        return loaded().rate(pair);
    }

    private CsvRateTable loaded() throws RateProviderException {
        CsvRateTable current = table;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (table == null) {
                if (!Files.isRegularFile(file)) {
                    throw new RateProviderException("the rates file " + file + " does not exist (LEDGER_FX_RATES_FILE)");
                }
                try {
                    table = CsvRateTable.load(NAME, file, currencies, clock);
                } catch (RateTableFormatException | java.io.IOException e) {
                    throw new RateProviderException(e.getMessage(), e);
                }
            }
            return table;
        }
    }
}
