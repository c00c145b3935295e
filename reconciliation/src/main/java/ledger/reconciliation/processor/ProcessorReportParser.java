package ledger.reconciliation.processor;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import ledger.domain.money.CurrencyCode;
import ledger.reconciliation.statement.Amounts;
import ledger.reconciliation.statement.ContentDigest;
import ledger.reconciliation.statement.ParseSummary;
import ledger.reconciliation.statement.StatementFormatException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Streams a processor's CSV report (UTF-8, header row first) through a {@link CsvColumnMapping},
 * one {@link ProcessorRecord} at a time; commons-csv reads the file lazily, so its size does not
 * matter. A bad line is refused naming its line and column. See docs/reconciliation.md,
 * "Processor reports".
 */
public final class ProcessorReportParser {
    private final CsvColumnMapping mapping;

    public ProcessorReportParser(CsvColumnMapping mapping) {
        this.mapping = mapping;
    }

    public ParseSummary parse(InputStream input, Consumer<ProcessorRecord> consumer) throws IOException, StatementFormatException {
        ContentDigest digest = new ContentDigest(input);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .setTrim(false)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
                .setAllowMissingColumnNames(false)
                .get();
        long records = 0;
        long line = 1;
        try (CSVParser csv = open(digest, format)) {
            Map<String, Integer> header = csv.getHeaderMap();
            requireColumns(header);
            Iterator<CSVRecord> it = csv.iterator();
            while (true) {
                CSVRecord record;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    record = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new StatementFormatException("line " + (line + 1), "not valid CSV: " + rootMessage(e), e);
                }
                // The line the record ends on (a quoted field may span lines); the last record may lack its newline.
                line = Math.max(record.getRecordNumber() + 1, csv.getCurrentLineNumber());
                if (record.size() != header.size()) {
                    throw new StatementFormatException("line " + line, "has " + record.size() + " fields, the header has " + header.size());
                }
                // The consumer's own exceptions pass through untouched: they are not about the file.
                consumer.accept(read(record, line));
                records++;
            }
        }
        String sha = digest.finish();
        return new ParseSummary("CSV " + mapping.name(), sha, digest.bytes(), 1, records);
    }

    /** Reads the header row; commons-csv refuses duplicate or empty names there. */
    private static CSVParser open(ContentDigest digest, CSVFormat format) throws IOException, StatementFormatException {
        try {
            return CSVParser.builder()
                    .setReader(withoutByteOrderMark(new InputStreamReader(digest.shielded(), StandardCharsets.UTF_8.newDecoder())))
                    .setFormat(format)
                    .get();
        } catch (IllegalArgumentException e) {
            throw new StatementFormatException("line 1", "bad header: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new StatementFormatException("line 1", "not valid CSV: " + rootMessage(e), e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new StatementFormatException("line 1", "not UTF-8 text (" + e + ")", e);
        } catch (org.apache.commons.csv.CSVException e) {
            throw new StatementFormatException("line 1", "not valid CSV: " + e.getMessage(), e);
        }
    }

    /** Spreadsheet exports often start with a UTF-8 byte order mark; it is not part of the first column's name. */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader in = new PushbackReader(reader, 1);
        int first = in.read();
        if (first >= 0 && first != '\uFEFF') {
            in.unread(first);
        }
        return in;
    }

    private void requireColumns(Map<String, Integer> header) throws StatementFormatException {
        if (header == null || header.isEmpty()) {
            throw new StatementFormatException("line 1", "no header row");
        }
        for (String column : new String[] {mapping.idColumn(), mapping.createdColumn(), mapping.currencyColumn(),
                mapping.grossColumn(), mapping.feeColumn(), mapping.netColumn(), mapping.grossDirectionColumn(),
                mapping.feeDirectionColumn(), mapping.categoryColumn(), mapping.sourceIdColumn(),
                mapping.descriptionColumn(), mapping.payoutIdColumn()}) {
            if (column != null && !header.containsKey(column)) {
                throw new StatementFormatException("line 1", "header has no column \"" + column + "\" (mapping " + mapping.name() + ")");
            }
        }
    }

    private ProcessorRecord read(CSVRecord r, long line) throws StatementFormatException {
        String id = required(r, mapping.idColumn(), line);
        String currencyText = required(r, mapping.currencyColumn(), line);
        // Reports write currencies in either case (Stripe: "usd"); ISO 4217 codes are upper case.
        CurrencyCode currency = Amounts.currency(currencyText.toUpperCase(Locale.ROOT), where(line, mapping.currencyColumn()));
        Instant created = instant(required(r, mapping.createdColumn(), line), where(line, mapping.createdColumn()));
        BigDecimal gross = amount(r, mapping.grossColumn(), mapping.grossDirectionColumn(), currency, line, true);
        BigDecimal fee = mapping.feeColumn() == null ? BigDecimal.ZERO.setScale(currency.scale())
                : amount(r, mapping.feeColumn(), mapping.feeDirectionColumn(), currency, line, false);
        BigDecimal net = gross.subtract(fee);
        if (mapping.netColumn() != null) {
            BigDecimal stated = amount(r, mapping.netColumn(), null, currency, line, true);
            if (stated.compareTo(net) != 0) {
                throw new StatementFormatException(where(line, mapping.netColumn()),
                        "net " + stated.toPlainString() + " is not gross " + gross.toPlainString() + " - fee " + fee.toPlainString());
            }
        }
        return new ProcessorRecord(mapping.name(), id, line, created, currency.code(), gross, fee, net,
                optional(r, mapping.categoryColumn()), optional(r, mapping.sourceIdColumn()),
                optional(r, mapping.descriptionColumn()), optional(r, mapping.payoutIdColumn()));
    }

    /**
     * Reads one amount column. {@code creditPositive}: for gross and net a credit is +; for the fee a
     * debit (a fee charged) is +, since net = gross - fee.
     */
    private BigDecimal amount(CSVRecord r, String column, String directionColumn, CurrencyCode currency, long line,
                              boolean creditPositive) throws StatementFormatException {
        String where = where(line, column);
        String text = required(r, column, line).trim();
        boolean negative = text.startsWith("-");
        if (negative && directionColumn != null) {
            throw new StatementFormatException(where, "amount is signed but the mapping has a direction column \"" + directionColumn + "\"");
        }
        String digits = negative ? text.substring(1) : text;
        BigDecimal value = mapping.unit() == AmountUnit.MINOR
                ? Amounts.minorUnits(digits, currency, where)
                : Amounts.dotDecimal(digits, currency, where);
        if (directionColumn != null) {
            String mark = required(r, directionColumn, line).trim();
            boolean credit;
            if (mapping.creditValues().contains(mark)) {
                credit = true;
            } else if (mapping.debitValues().contains(mark)) {
                credit = false;
            } else {
                throw new StatementFormatException(where(line, directionColumn), "must be one of " + mapping.creditValues()
                        + " or " + mapping.debitValues() + ": " + Amounts.quote(mark));
            }
            negative = credit != creditPositive;
        }
        return negative ? value.negate() : value;
    }

    private Instant instant(String text, String where) throws StatementFormatException {
        try {
            TemporalAccessor parsed = mapping.createdFormat().parse(text.trim());
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                return OffsetDateTime.from(parsed).toInstant();
            }
            return LocalDateTime.from(parsed).atZone(mapping.zone()).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new StatementFormatException(where, "date-time does not fit the mapping's pattern: " + Amounts.quote(text), e);
        }
    }

    private String required(CSVRecord r, String column, long line) throws StatementFormatException {
        String value = r.get(column);
        if (value == null || value.isBlank()) {
            throw new StatementFormatException(where(line, column), "is empty");
        }
        return value;
    }

    private static String optional(CSVRecord r, String column) {
        if (column == null) {
            return null;
        }
        String value = r.get(column);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String where(long line, String column) {
        return "line " + line + ", column \"" + column + "\"";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
