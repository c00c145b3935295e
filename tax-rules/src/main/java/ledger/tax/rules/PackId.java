package ledger.tax.rules;

import java.time.LocalDate;
import java.util.List;

/**
 * Which rule pack produced a result: its declared name and version, the SHA-256 of the file's bytes (lowercase
 * hex), the file it came from, its jurisdiction and the dates it is valid for ({@code validTo} null: open-ended).
 */
public record PackId(String name, String version, String sha256, String file, String jurisdiction,
                     LocalDate validFrom, LocalDate validTo, List<String> sources) {

    public PackId {
        sources = List.copyOf(sources);
    }

    public boolean validOn(LocalDate date) {
        return !date.isBefore(validFrom) && (validTo == null || !date.isAfter(validTo));
    }

    @Override
    public String toString() {
        return name + " " + version + " (sha256 " + sha256 + ")";
    }
}
