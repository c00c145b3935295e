package ledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ledger.audit.Envelope;
import ledger.audit.Sha256;
import ledger.audit.Ts6;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.SigningKey;
import ledger.audit.export.EventLine;
import ledger.audit.export.ExportHeader;
import ledger.audit.export.ExportWriter;
import ledger.audit.merkle.CompactRange;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.seal.LedgerJson;

/**
 * Deterministic ledger-like events for the benchmarks: TransferPosted events (one per transfer, each
 * its own aggregate) between 1,000 accounts.
 */
final class AuditFixtures {
    static final SigningKey KEY = SigningKey.fromSeed(Sha256.digest("ledger-bench key".getBytes(StandardCharsets.UTF_8)));
    static final String LEDGER_ID = "bench";
    static final String TENANT = "acme";
    static final int ACCOUNTS = 1000;
    private static final ObjectMapper PAYLOADS = LedgerJson.mapper();
    private static final Instant EPOCH = Instant.parse("2025-06-01T12:00:00Z");

    private AuditFixtures() {
    }

    static TransferPosted posted(int i) {
        String amount = (1000 + i % 9000) + "." + (10 + i % 90);
        return new TransferPosted(TENANT, "tr-" + i, "transfer",
                List.of(new Leg("acc-" + (i % ACCOUNTS), "debit", amount, "EUR"),
                        new Leg("acc-" + ((i + 1) % ACCOUNTS), "credit", amount, "EUR")),
                Map.of("order", "o-" + i));
    }

    /** A typical envelope: the TransferPosted of a transfer (its first and only event). */
    static Envelope envelope(int i, long seq, String prevHash) {
        JsonNode payload = PAYLOADS.valueToTree(posted(i));
        return new Envelope(TENANT, "Transfer", TENANT + "/transfer/tr-" + i, seq,
                new UUID(0x1ed9e7L, i).toString(), "ledger.TransferPosted", Ts6.format(EPOCH.plusMillis(i)),
                Map.of("actor", "3f9a0c1d2e4b5a69", "correlationId", new UUID(0xc0ffeeL, i / 2).toString()),
                payload, prevHash);
    }

    /** {@code count} event lines of one tenant log from position 0, correctly chained. */
    static List<EventLine> eventLines(int count) {
        List<EventLine> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Envelope e = envelope(i, 0, Envelope.ZERO_HASH);
            out.add(new EventLine(i, e.hash(), e.toJson(), null));
        }
        return out;
    }

    /** A whole, valid export of {@code count} events: header, events, final checkpoint. */
    static byte[] export(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(count * 800);
        try {
            writeExport(count, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the export of {@link #export} to {@code out}, one event at a time, so that its size is
     * not bounded by memory (for the command-line verifier on a big file, see {@link ExportFile}).
     */
    static void writeExport(int count, OutputStream out) throws IOException {
        Writer utf8 = ExportWriter.utf8(out);
        ExportWriter writer = new ExportWriter(utf8);
        writer.header(header(count));
        CompactRange tree = new CompactRange();
        long[] seqs = new long[ACCOUNTS];
        String[] last = new String[ACCOUNTS];
        Arrays.fill(last, Envelope.ZERO_HASH);
        for (int i = 0; i < count; i++) {
            int account = i % ACCOUNTS;
            Envelope e = envelope(i, seqs[account]++, last[account]);
            String hash = e.hash();
            last[account] = hash;
            tree.append(Sha256.unhex(hash));
            writer.event(new EventLine(i, hash, e.toJson(), null));
        }
        writer.finalCheckpoint(SignedCheckpoint.issue(KEY, LEDGER_ID, TENANT, count, Sha256.hex(tree.root()),
                EPOCH.plusSeconds(3600)));
        utf8.flush();
    }

    static ExportHeader header(int count) {
        return new ExportHeader(LEDGER_ID, TENANT, KEY.verifyingKey().base64(), KEY.keyId(), 0, count - 1,
                Ts6.format(EPOCH.plusSeconds(3601)));
    }
}
