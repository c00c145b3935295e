package ledger.fx.provider;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import ledger.domain.model.LedgerRejection;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Currencies;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.PairNotOffered;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RateProvider;
import ledger.fx.rate.RateProviderException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A configured table of two-sided rates read from a CSV file (docs/fx.md, "The rates file"):
 * header {@code base,quote,bid,ask}, one pair a line. On every access the file's modification time
 * and size are compared with the loaded version; when either changed (or the version read is too
 * recent for its timestamp to be trusted) the file is read again, and parsed only when its SHA-256
 * digest differs. A file that does not parse is refused as a whole
 * with its line number and reason, and the table in force stays in force.
 *
 * <p>A configured rate is the operator's price until the file changes, so its {@code asOf} is the
 * moment it is asked for. The inverse direction of a configured pair is answered by rule OUTWARD.
 */
public final class CsvRateTable implements RateProvider {
    public static final List<String> HEADER = List.of("base", "quote", "bid", "ask");
    public static final long FILE_BYTES_MAX = 1_048_576;
    public static final int PAIRS_MAX = 10_000;
    /** File-system timestamps can be this coarse (FAT: 2 s); see {@link Version}. */
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setCommentMarker('#')
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();

    private final String name;
    private final Path file;
    private final Currencies currencies;
    private final Clock clock;

    private volatile Table table;
    private volatile Version lastSeen;
    private volatile Optional<String> lastReloadFailure = Optional.empty();

    /**
     * What was last read. A file modified within {@link #RACY_WINDOW} of the moment it was read
     * may change again without a visible change of time or size (coarse file-system clocks), so
     * until that window has passed it is read and digested on every access.
     */
    private record Version(FileTime modified, long size, byte[] digest, Instant readAt) {
        boolean unchanged(FileTime otherModified, long otherSize) {
            boolean racy = !modified.toInstant().isBefore(readAt.minus(RACY_WINDOW));
            return !racy && modified.equals(otherModified) && size == otherSize;
        }
    }

    private record Row(BigDecimal bid, BigDecimal ask, int line) {
    }

    private record Table(Map<CurrencyPair, Row> rows) {
    }

    private CsvRateTable(String name, Path file, Currencies currencies, Clock clock) {
        this.name = name;
        this.file = file;
        this.currencies = currencies;
        this.clock = clock;
    }

    /**
     * Loads the file once; a missing or malformed file at start is an error, since there is no
     * previous table to keep.
     */
    public static CsvRateTable load(String name, Path file, Currencies currencies, Clock clock)
            throws IOException, RateTableFormatException {
        CsvRateTable table = new CsvRateTable(name, file, currencies, clock);
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        byte[] bytes = readBounded(file);
        table.table = table.parse(bytes);
        table.lastSeen = new Version(attributes.lastModifiedTime(), attributes.size(), sha256(bytes), Instant.now());
        return table;
    }

    @Override
    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /** Why the latest change of the file was refused, while the previous table stays in force. */
    public Optional<String> lastReloadFailure() {
        return lastReloadFailure;
    }

    /** The number of pairs in force (each also answered in its inverse direction). */
    public int size() {
        reloadIfChanged();
        return table.rows().size();
    }

    @Override
    public ProviderRate rate(CurrencyPair pair) throws RateProviderException {
        reloadIfChanged();
        Map<CurrencyPair, Row> rows = table.rows();
        Row direct = rows.get(pair);
        if (direct != null) {
            return new ProviderRate(name, pair, direct.bid(), direct.ask(), clock.instant());
        }
        Row inverse = rows.get(pair.inverse());
        if (inverse != null) {
            return new ProviderRate(name, pair.inverse(), inverse.bid(), inverse.ask(), clock.instant()).inverse();
        }
        throw new PairNotOffered(name, pair);
    }

    /** Checks the file now; also called on every access. */
    public synchronized void reloadIfChanged() {
        BasicFileAttributes attributes;
        byte[] bytes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (lastSeen.unchanged(attributes.lastModifiedTime(), attributes.size())) {
                return;
            }
            bytes = readBounded(file);
        } catch (IOException | UncheckedIOException e) {
            lastReloadFailure = Optional.of(file + ": cannot be read (" + e.getMessage() + "); the previous table stays in force");
            return;
        } catch (RateTableFormatException e) {
            lastReloadFailure = Optional.of(e.getMessage() + "; the previous table stays in force");
            return;
        }
        byte[] digest = sha256(bytes);
        // wall time, not the injected clock: it is compared with the file system's own timestamps
        Version seen = new Version(attributes.lastModifiedTime(), attributes.size(), digest, Instant.now());
        if (Arrays.equals(digest, lastSeen.digest())) {
            lastSeen = seen; // touched, same content
            return;
        }
        try {
            table = parse(bytes);
            lastReloadFailure = Optional.empty();
        } catch (RateTableFormatException e) {
            lastReloadFailure = Optional.of(e.getMessage() + "; the previous table stays in force");
        }
        // remembered either way, so a refused file is not parsed again until it changes
        lastSeen = seen;
    }

    private Table parse(byte[] bytes) throws RateTableFormatException {
        String text = decodeUtf8(bytes);
        Map<CurrencyPair, Row> rows = new HashMap<>();
        Lines lines = new Lines(text);
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
            boolean headerSeen = false;
            for (CSVRecord record : parser) {
                int line = lines.recordLine(record.getCharacterPosition());
                if (!headerSeen) {
                    checkHeader(record, line);
                    headerSeen = true;
                    continue;
                }
                if (rows.size() == PAIRS_MAX) {
                    throw refuse(line, "more than " + PAIRS_MAX + " pairs");
                }
                addRow(rows, record, line);
            }
            if (!headerSeen) {
                throw refuse(1, "the header is missing; expected " + String.join(",", HEADER));
            }
        } catch (IOException | UncheckedIOException e) {
            // commons-csv reports a broken quote as an I/O error that names the position
            throw refuse(lines.count(), "not valid CSV: " + e.getMessage());
        }
        return new Table(Map.copyOf(rows));
    }

    private void checkHeader(CSVRecord record, int line) throws RateTableFormatException {
        List<String> header = record.toList();
        if (!header.equals(HEADER)) {
            throw refuse(line, "the header is \"" + String.join(",", header) + "\" but must be " + String.join(",", HEADER));
        }
    }

    private void addRow(Map<CurrencyPair, Row> rows, CSVRecord record, int line) throws RateTableFormatException {
        if (record.size() != HEADER.size()) {
            throw refuse(line, record.size() + " fields, expected " + HEADER.size() + " (" + String.join(",", HEADER) + ")");
        }
        CurrencyCode base = currency(record.get(0), "base", line);
        CurrencyCode quote = currency(record.get(1), "quote", line);
        if (base.equals(quote)) {
            throw refuse(line, "base and quote are both " + base.code());
        }
        BigDecimal bid = decimal(record.get(2), "bid", line);
        BigDecimal ask = decimal(record.get(3), "ask", line);
        Optional<String> problem = ProviderRate.problem(bid, ask);
        if (problem.isPresent()) {
            throw refuse(line, problem.get());
        }
        CurrencyPair pair = new CurrencyPair(base, quote);
        Row earlier = rows.get(pair);
        if (earlier != null) {
            throw refuse(line, pair + " is already defined on line " + earlier.line());
        }
        Row inverse = rows.get(pair.inverse());
        if (inverse != null) {
            throw refuse(line, pair + " is the inverse of " + pair.inverse() + " on line " + inverse.line()
                    + "; give one direction only");
        }
        rows.put(pair, new Row(bid, ask, line));
    }

    private CurrencyCode currency(String text, String column, int line) throws RateTableFormatException {
        try {
            return currencies.resolve(text);
        } catch (LedgerRejection e) {
            throw refuse(line, "column " + column + ": " + e.getMessage());
        }
    }

    private BigDecimal decimal(String text, String column, int line) throws RateTableFormatException {
        if (!DECIMAL.matcher(text).matches()) {
            throw refuse(line, "column " + column + ": \"" + abbreviate(text)
                    + "\" is not a plain decimal number such as 154.10");
        }
        return new BigDecimal(text);
    }

    private RateTableFormatException refuse(int line, String why) {
        return new RateTableFormatException(file, line, why);
    }

    private static byte[] readBounded(Path file) throws IOException, RateTableFormatException {
        long size = Files.size(file);
        if (size > FILE_BYTES_MAX) {
            throw new RateTableFormatException(file, 1, "the file has " + size + " bytes, at most " + FILE_BYTES_MAX + " are read");
        }
        return Files.readAllBytes(file);
    }

    private String decodeUtf8(byte[] bytes) throws RateTableFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refuse(1, "the file is not UTF-8 text");
        }
    }

    /**
     * Line numbers for record offsets. commons-csv numbers records, not lines, and a record's
     * offset lies before the blank and comment lines it skipped, so those are stepped over.
     */
    private static final class Lines {
        private final String text;
        private final int[] starts;

        Lines(String text) {
            this.text = text;
            this.starts = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(0),
                    java.util.stream.IntStream.range(0, text.length()).filter(i -> text.charAt(i) == '\n').map(i -> i + 1))
                    .toArray();
        }

        int count() {
            return starts.length;
        }

        int recordLine(long offset) {
            int index = Arrays.binarySearch(starts, (int) Math.min(offset, text.length()));
            int line = index >= 0 ? index : -index - 2; // 0-based line containing the offset
            while (line + 1 < starts.length && skipped(line)) {
                line++;
            }
            return line + 1;
        }

        private boolean skipped(int line) {
            int end = line + 1 < starts.length ? starts[line + 1] : text.length();
            String content = text.substring(starts[line], end).strip();
            return content.isEmpty() || content.startsWith("#");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
