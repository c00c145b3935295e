package ledger.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.export.EventLine;
import ledger.audit.export.ExportWriter;
import ledger.audit.verify.ExportSummary;
import ledger.audit.verify.ExportVerifier;
import ledger.audit.verify.VerificationException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second through the verifier (a whole in-memory export of {@value #VERIFY_EVENTS}
 * events: parse, hash, chain, Merkle root, signature) and through the export writer (JCS of each
 * line, the writer's own hash check, UTF-8 out). One operation is one event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class ThroughputBenchmarks {
    static final int VERIFY_EVENTS = 200_000;
    static final int WRITE_EVENTS = 100_000;

    private byte[] export;
    private VerifyingKey key;
    private List<EventLine> lines;

    @Setup(Level.Trial)
    public void setUp() {
        export = AuditFixtures.export(VERIFY_EVENTS);
        key = AuditFixtures.KEY.verifyingKey();
        lines = AuditFixtures.eventLines(WRITE_EVENTS);
    }

    @Benchmark
    @OperationsPerInvocation(VERIFY_EVENTS)
    public ExportSummary verifierEvents() throws VerificationException, IOException {
        return new ExportVerifier(key).verify(new ByteArrayInputStream(export));
    }

    @Benchmark
    @OperationsPerInvocation(WRITE_EVENTS)
    public long exportWriterEvents() throws IOException {
        CountingWriter sink = new CountingWriter();
        ExportWriter writer = new ExportWriter(sink);
        writer.header(AuditFixtures.header(WRITE_EVENTS));
        for (EventLine line : lines) {
            writer.event(line);
        }
        return sink.chars;
    }

    /** Discards what is written, counting characters, so the benchmark measures the writer. */
    private static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] buffer, int offset, int length) {
            chars += length;
        }

        @Override
        public void write(String s) {
            chars += s.length();
        }

        @Override
        public void write(int c) {
            chars++;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
