package ledger.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import ledger.audit.CanonicalJson;
import ledger.audit.Envelope;
import ledger.audit.NumberRuleException;
import ledger.audit.Sha256;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.seal.EventSeal;
import org.axonframework.messaging.MetaData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one event costs the audit chain, in microseconds: SHA-256 of its canonical bytes, JCS of
 * its envelope, the whole hash from an envelope, and {@link EventSeal#seal}, which the command
 * side runs for every event it applies (envelope, JCS, SHA-256 and the metadata map).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EnvelopeBenchmarks {
    private Envelope envelope;
    private ObjectNode envelopeJson;
    private byte[] canonical;
    private TransferPosted payload;
    private long seq;

    @Setup
    public void setUp() throws NumberRuleException {
        envelope = AuditFixtures.envelope(4242, 17, Sha256.hex(Sha256.digest(new byte[] {1})));
        envelopeJson = envelope.toJson();
        canonical = CanonicalJson.canonicalize(envelopeJson);
        payload = AuditFixtures.posted(4242);
    }

    @Benchmark
    public byte[] sha256OfEnvelope() {
        return Sha256.digest(canonical);
    }

    @Benchmark
    public byte[] jcsOfEnvelope() throws NumberRuleException {
        return CanonicalJson.canonicalize(envelopeJson);
    }

    @Benchmark
    public String hashOfEnvelope() {
        return envelope.hash();
    }

    @Benchmark
    public MetaData sealTransferPosted() {
        return EventSeal.seal(AuditFixtures.TENANT, "Transfer", "acme/transfer/tr-42", seq++, Envelope.ZERO_HASH,
                payload);
    }
}
