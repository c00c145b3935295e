package ledger.audit.verify;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import ledger.audit.Envelope;
import ledger.audit.Sha256;
import ledger.audit.export.ParsedEvent;

/**
 * Check 3: within the export each aggregate's events have consecutive {@code seq}, each
 * {@code prevHash} is the hash of its predecessor, and, when the export starts at position 0,
 * each aggregate starts at seq 0. Any event with seq 0 must have the all-zero prevHash.
 * Memory: the last seq and hash of each aggregate seen.
 */
final class AggregateChainCheck {

    private static final byte[] ZERO_HASH = Sha256.unhex(Envelope.ZERO_HASH);

    private record AggregateKey(String type, String id) {
    }

    /**
     * The aggregate's last event so far, updated in place: one map look-up per event, and no
     * reference from this long-lived entry to the short-lived event, which would cost the
     * garbage collector more than copying 32 bytes.
     */
    private static final class Last {
        long seq;
        final byte[] hash;

        Last(long seq, byte[] hash) {
            this.seq = seq;
            this.hash = hash.clone();
        }

        void set(long seq, byte[] hash) {
            this.seq = seq;
            System.arraycopy(hash, 0, this.hash, 0, this.hash.length);
        }
    }

    private final boolean fromGenesis;
    private final Map<AggregateKey, Last> last = new HashMap<>();

    AggregateChainCheck(boolean fromGenesis) {
        this.fromGenesis = fromGenesis;
    }

    /** {@code e.hash()} is the event's hash, already checked against its envelope. */
    void check(long line, ParsedEvent e) throws VerificationException {
        AggregateKey key = new AggregateKey(e.aggregateType(), e.aggregateId());
        Last previous = last.get(key);
        byte[] prevHash = e.prevHash();
        if (e.seq() == 0 && !Arrays.equals(prevHash, ZERO_HASH)) {
            throw fail(line, name(e) + " seq 0 prevHash: expected " + Envelope.ZERO_HASH + ", actual "
                    + e.prevHashHex());
        }
        if (previous == null) {
            if (fromGenesis && e.seq() != 0) {
                throw fail(line, name(e) + " starts at seq " + e.seq() + " in an export from position 0, expected seq 0");
            }
            last.put(key, new Last(e.seq(), e.hash()));
            return;
        }
        if (e.seq() != previous.seq + 1) {
            throw fail(line, name(e) + " seq: expected " + (previous.seq + 1) + ", actual " + e.seq());
        }
        if (!Arrays.equals(prevHash, previous.hash)) {
            throw fail(line, name(e) + " seq " + e.seq() + " prevHash: expected " + Sha256.hex(previous.hash)
                    + " (hash of seq " + previous.seq + "), actual " + e.prevHashHex());
        }
        previous.set(e.seq(), e.hash());
    }

    private static String name(ParsedEvent e) {
        return e.aggregateType() + " " + e.aggregateId();
    }

    int aggregates() {
        return last.size();
    }

    private static VerificationException fail(long line, String detail) {
        return new VerificationException(line, Check.CHAIN, detail);
    }
}
