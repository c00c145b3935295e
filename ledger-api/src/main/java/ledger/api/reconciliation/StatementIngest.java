package ledger.api.reconciliation;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import ledger.api.app.Codes;
import ledger.api.app.Commands;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome;
import ledger.api.app.Refusal;
import ledger.domain.model.RejectionCode;
import ledger.projections.LedgerQueries;
import ledger.reconciliation.matching.MatchItem;
import ledger.reconciliation.matching.MatchItems;
import ledger.reconciliation.processor.CsvColumnMapping;
import ledger.reconciliation.processor.ProcessorRecord;
import ledger.reconciliation.processor.ProcessorReportParser;
import ledger.reconciliation.statement.Balance;
import ledger.reconciliation.statement.CamtParser;
import ledger.reconciliation.statement.Mt940Parser;
import ledger.reconciliation.statement.ParseSummary;
import ledger.reconciliation.statement.StatementEntry;
import ledger.reconciliation.statement.StatementFormatException;
import ledger.reconciliation.statement.StatementInfo;
import ledger.reconciliation.statement.StatementListener;
import ledger.sagas.reconciliation.ReconQueries;
import ledger.sagas.reconciliation.ReconQueries.StatementRow;
import ledger.sagas.reconciliation.ReconQueries.UploadRow;
import ledger.sagas.reconciliation.ReconciliationCommands;
import ledger.sagas.reconciliation.ReconciliationCommands.CompleteStatementUpload;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordBankStatement;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordStatementRecords;
import ledger.sagas.reconciliation.ReconciliationCommands.StartStatementUpload;
import ledger.sagas.reconciliation.ReconciliationEvents.BankStatementRead;
import ledger.sagas.reconciliation.ReconciliationEvents.ExternalRecord;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadStarted;

/**
 * Takes in one statement or processor report (docs/reconciliation.md, "Upload"): the body is
 * copied to a spool file while the format's parser checks it (one pass, the file's SHA-256 taken on
 * the way), so a malformed file is refused before anything is stored; a file whose digest was
 * uploaded before is answered with that upload; otherwise the spool file is parsed a second time and
 * its records are recorded as events of a {@code StatementUpload}, {@value
 * ReconciliationCommands#CHUNK_RECORDS_MAX} per event. Chunks are sent without waiting for each
 * ({@value #IN_FLIGHT_MAX} at most in flight, so they share group commits); the upload is completed
 * only once every one of them is recorded. Neither pass holds more than that many chunks of records,
 * whatever the file's size.
 */
public class StatementIngest {
    /** The upload formats, as the {@code format} parameter names them. */
    public enum Format {
        CAMT053("camt053"), CAMT054("camt054"), MT940("mt940"), CSV("csv");

        private final String wire;

        Format(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Format parse(String text) {
            return Arrays.stream(values()).filter(f -> f.wire.equals(text)).findFirst()
                    .orElseThrow(() -> Refusal.validation("format must be one of " + names() + ", not "
                            + (text == null || text.isEmpty() ? "nothing" : '"' + text + '"')));
        }

        static String names() {
            return Arrays.stream(values()).map(Format::wire).collect(Collectors.joining(", "));
        }
    }

    /** The CSV column mappings that ship (docs/reconciliation.md, "Formats"). */
    static final Map<String, CsvColumnMapping> MAPPINGS = Map.of(
            "stripe", CsvColumnMapping.stripeBalanceTransactions(),
            "paypal", CsvColumnMapping.paypalSettlement());
    static final int ACCOUNT_LENGTH_MAX = 128;
    /** Chunk and statement commands of one upload sent and not answered yet, at most. */
    static final int IN_FLIGHT_MAX = 8;

    /** An upload as answered: new ({@code created}) or the first upload of the same file. */
    public record Uploaded(UploadRow upload, List<StatementRow> statements, boolean created) {
    }

    private final Commands commands;
    private final ReconQueries queries;
    private final LedgerQueries ledger;
    private final Path spoolDir;
    /** Digests (per tenant) being ingested by this JVM: a second upload of one meanwhile is answered, not run. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public StatementIngest(Commands commands, ReconQueries queries, LedgerQueries ledger, Path spoolDir) {
        this.commands = commands;
        this.queries = queries;
        this.ledger = ledger;
        this.spoolDir = spoolDir;
    }

    public Optional<Uploaded> find(String tenant, String uploadId) {
        return queries.upload(tenant, uploadId).map(u -> new Uploaded(u, queries.statements(tenant, u.uploadId()), false));
    }

    /**
     * Checks and ingests one file.
     *
     * @throws Refusal {@code validation_failed} for bad parameters, {@code statement_malformed} for a
     *                 file that does not fit its format (nothing is stored), {@code account_not_found}
     */
    public Uploaded upload(Origin origin, String formatText, String mappingText, String account, InputStream body)
            throws IOException {
        String tenant = origin.caller().tenant();
        Format format = Format.parse(formatText);
        CsvColumnMapping mapping = mapping(format, mappingText);
        if (account != null) {
            if (account.isEmpty() || account.length() > ACCOUNT_LENGTH_MAX) {
                throw Refusal.validation("account names a ledger account (1 to " + ACCOUNT_LENGTH_MAX + " characters)");
            }
            if (ledger.account(tenant, account).isEmpty()) {
                throw new Refusal(RejectionCode.ACCOUNT_NOT_FOUND.code(), "account " + account + " does not exist");
            }
        }
        Files.createDirectories(spoolDir);
        Path spool = Files.createTempFile(spoolDir, "upload-", ".part");
        try {
            ParseSummary summary;
            try (OutputStream copy = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16);
                 InputStream tee = new Tee(body, copy)) {
                summary = parse(format, mapping, "check", tee, Sink.NONE);
            }
            requireDeclared(format, summary);
            Optional<UploadRow> existing = queries.uploadByDigest(tenant, summary.sha256());
            if (existing.isPresent() && "INGESTED".equals(existing.get().status())) {
                return answer(tenant, existing.get(), false);
            }
            String slot = tenant + '\n' + summary.sha256();
            if (!inFlight.add(slot)) {
                return answer(tenant, await(tenant, summary.sha256()), false);
            }
            try {
                return ingest(origin, spool, format, mappingText, mapping, account, summary, existing.isEmpty());
            } finally {
                inFlight.remove(slot);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static CsvColumnMapping mapping(Format format, String mappingText) {
        if (format != Format.CSV) {
            if (mappingText != null) {
                throw Refusal.validation("mapping is only for format csv");
            }
            return null;
        }
        CsvColumnMapping mapping = mappingText == null ? null : MAPPINGS.get(mappingText);
        if (mapping == null) {
            throw Refusal.validation("format csv needs mapping, one of " + String.join(", ",
                    MAPPINGS.keySet().stream().sorted().toList()) + (mappingText == null ? "" : ", not \"" + mappingText + '"'));
        }
        return mapping;
    }

    /** camt053 must be a camt.053 statement and camt054 a camt.054 notification: the parser reads all camt kinds. */
    private static void requireDeclared(Format format, ParseSummary summary) {
        String detected = summary.format();
        boolean fits = switch (format) {
            case CAMT053 -> detected.startsWith("CAMT_053");
            case CAMT054 -> detected.startsWith("CAMT_054");
            default -> true;
        };
        if (!fits) {
            throw new Refusal(Codes.STATEMENT_MALFORMED, "/Document: the file is " + detected.split(" ")[0]
                    + ", not " + format.wire());
        }
    }

    private UploadRow await(String tenant, String sha256) {
        // the other upload of this file in this JVM has at least started it, or is about to
        for (int i = 0; i < 50; i++) {
            Optional<UploadRow> row = queries.uploadByDigest(tenant, sha256);
            if (row.isPresent()) {
                return row.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw Refusal.databaseUnavailable();
    }

    private Uploaded ingest(Origin origin, Path spool, Format format, String mappingText, CsvColumnMapping mapping,
                            String account, ParseSummary summary, boolean isNew) throws IOException {
        String tenant = origin.caller().tenant();
        String uploadId = uploadId(summary.sha256());
        if (isNew) {
            try {
                send(origin, new StartStatementUpload(new StatementUploadStarted(tenant, uploadId, summary.sha256(),
                        summary.bytes(), format.wire(), summary.format(), mappingText, account)));
            } catch (RuntimeException e) {
                // another node started this file meanwhile: the first upload answers
                Optional<UploadRow> other = queries.uploadByDigest(tenant, summary.sha256());
                if (other.isPresent()) {
                    return answer(tenant, other.get(), false);
                }
                throw e;
            }
        }
        Chunker chunker = new Chunker(origin, tenant, uploadId);
        try {
            try (InputStream in = Files.newInputStream(spool)) {
                ParseSummary again = parse(format, mapping, uploadId, in, chunker);
                if (!again.sha256().equals(summary.sha256())) {
                    throw new IllegalStateException("the spooled upload changed between its two readings");
                }
            }
            chunker.flush();
        } catch (IOException | RuntimeException e) {
            // nothing of this upload is still being sent when it answers
            try {
                chunker.awaitAll();
            } catch (RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
        chunker.awaitAll();
        send(origin, new CompleteStatementUpload(tenant, uploadId, chunker.chunk, chunker.statement));
        return answer(tenant, queries.upload(tenant, uploadId).orElseThrow(), isNew);
    }

    private Uploaded answer(String tenant, UploadRow row, boolean created) {
        return new Uploaded(row, queries.statements(tenant, row.uploadId()), created);
    }

    /** An upload's id: its digest's first 128 bits, so the same file has the same id wherever it is uploaded. */
    static String uploadId(String sha256) {
        return "up-" + sha256.substring(0, 32);
    }

    private Object send(Origin origin, ReconciliationCommands.UploadCommand command) {
        Outcome outcome = commands.send(origin, null, command);
        if (outcome instanceof Outcome.Done done) {
            return done.view();
        }
        throw new IllegalStateException("upload command " + command.getClass().getSimpleName() + " not done: " + outcome);
    }

    // ---------------------------------------------------------------- parsing

    /** What a parse hands its records to. */
    private interface Sink {
        Sink NONE = new Sink() {
        };

        default void statementStarted(StatementInfo statement) {
        }

        default void record(ExternalRecord record) {
        }

        default void statementEnded(StatementInfo statement) {
        }
    }

    private static ParseSummary parse(Format format, CsvColumnMapping mapping, String fileId, InputStream in, Sink sink)
            throws IOException {
        try {
            if (format == Format.CSV) {
                return new ProcessorReportParser(mapping).parse(in, r -> sink.record(processorRecord(r)));
            }
            StatementListener listener = new StatementListener() {
                private StatementInfo statement;

                @Override
                public void statementStarted(StatementInfo s) {
                    statement = s;
                    sink.statementStarted(s);
                }

                @Override
                public void entry(StatementEntry entry) {
                    sink.record(bankRecord(fileId, statement, entry));
                }

                @Override
                public void statementEnded(StatementInfo s) {
                    sink.statementEnded(s);
                }
            };
            return format == Format.MT940 ? new Mt940Parser(StandardCharsets.UTF_8).parse(in, listener)
                    : new CamtParser().parse(in, listener);
        } catch (StatementFormatException e) {
            throw new Refusal(Codes.STATEMENT_MALFORMED, e.getMessage());
        }
    }

    private static ExternalRecord bankRecord(String fileId, StatementInfo statement, StatementEntry entry) {
        MatchItem item = MatchItems.bankEntry(fileId, statement, entry);
        return new ExternalRecord("BANK", item.key().id(), entry.statementId(), item.reference(), null,
                item.amount().toPlainString(), item.currency(), item.valueDate(), item.account(), item.counterparty(),
                entry.remittanceInformation());
    }

    private static ExternalRecord processorRecord(ProcessorRecord record) {
        MatchItem item = MatchItems.processorRecord(record, ZoneOffset.UTC);
        return new ExternalRecord("PROCESSOR", item.key().id(), null, item.reference(), item.groupKey(),
                item.amount().toPlainString(), item.currency(), item.valueDate(), item.account(), null,
                record.description());
    }

    /**
     * Sends the records in chunks, and each bank statement after its records are sent, without
     * waiting for each answer: at most {@link #IN_FLIGHT_MAX} in flight (the oldest is awaited before
     * another is sent). The first failure stops the upload (it stays INGESTING; the same file sent
     * again finishes it).
     */
    private final class Chunker implements Sink {
        private final Origin origin;
        private final String tenant;
        private final String uploadId;
        private final List<ExternalRecord> pending = new ArrayList<>(ReconciliationCommands.CHUNK_RECORDS_MAX);
        private final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<Outcome>> inFlight =
                new java.util.ArrayDeque<>();
        private int chunk;
        private int statement;

        Chunker(Origin origin, String tenant, String uploadId) {
            this.origin = origin;
            this.tenant = tenant;
            this.uploadId = uploadId;
        }

        @Override
        public void record(ExternalRecord record) {
            pending.add(record);
            if (pending.size() == ReconciliationCommands.CHUNK_RECORDS_MAX) {
                flush();
            }
        }

        @Override
        public void statementEnded(StatementInfo s) {
            flush();
            Optional<Balance> opening = s.opening();
            Optional<Balance> closing = s.closing();
            submit(new RecordBankStatement(new BankStatementRead(tenant, uploadId, statement++, s.statementId(),
                    s.account() == null ? null : s.account().value(), s.currency(),
                    opening.map(b -> b.amount().toPlainString()).orElse(null),
                    opening.map(b -> b.date() == null ? null : b.date().toString()).orElse(null),
                    closing.map(b -> b.amount().toPlainString()).orElse(null),
                    closing.map(b -> b.date() == null ? null : b.date().toString()).orElse(null),
                    s.entryCount())));
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            submit(new RecordStatementRecords(tenant, uploadId, chunk++, List.copyOf(pending)));
            pending.clear();
        }

        private void submit(ReconciliationCommands.UploadCommand command) {
            while (inFlight.size() >= IN_FLIGHT_MAX) {
                awaitOldest();
            }
            inFlight.add(commands.submit(origin, null, Optional.empty(), command));
        }

        private void awaitOldest() {
            Outcome outcome;
            try {
                outcome = inFlight.peek().join();
            } catch (java.util.concurrent.CompletionException e) {
                throw Commands.unwrap(e) instanceof RuntimeException r ? r : e;
            } finally {
                inFlight.poll();
            }
            if (!(outcome instanceof Outcome.Done)) {
                throw new IllegalStateException("an upload command was not done: " + outcome);
            }
        }

        /** Waits for every command sent; throws the first failure among them (after all have ended). */
        void awaitAll() {
            RuntimeException first = null;
            while (!inFlight.isEmpty()) {
                try {
                    awaitOldest();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** Copies what is read from the request body to the spool file. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;

        Tee(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                copy.write(buffer, offset, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes must reach the spool file too
            byte[] buffer = new byte[8192];
            long done = 0;
            while (done < n) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, n - done));
                if (read < 0) {
                    break;
                }
                done += read;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false; // a reset would copy bytes twice
        }

        @Override
        public void close() throws IOException {
            copy.flush();
            super.close();
        }
    }
}
