package ledger.audit.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ledger.audit.merkle.LeafSource;

/**
 * The leaf inputs (32-byte event hashes) of an export from position 0, kept in 256 KiB chunks:
 * 32 bytes an event, 32 MB for a million events. Needed because earlier checkpoints, whose tree
 * sizes are only known after the events, must be checked against the Merkle root of a prefix.
 */
final class LeafStore implements LeafSource {

    /**
     * Leaves per chunk: 2^13 leaves of 32 bytes = 256 KiB, under half of G1's smallest region
     * (1 MiB). A 1 MiB chunk was a humongous object taking two whole regions, so a million
     * events took 64 MB of heap instead of 32 MB and did not verify with -Xmx64m.
     */
    private static final int CHUNK_LEAVES = 1 << 13;
    /** 2^28 leaves = 8 GiB: far beyond any heap this verifier is run with; a clear error before that. */
    static final long LEAVES_MAX = 1L << 28;

    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    /** Returns false when the store is full ({@link #LEAVES_MAX}). */
    boolean append(byte[] leaf) {
        if (size >= LEAVES_MAX) {
            return false;
        }
        int offset = (int) (size % CHUNK_LEAVES) * 32;
        if (offset == 0) {
            chunks.add(new byte[CHUNK_LEAVES * 32]);
        }
        System.arraycopy(leaf, 0, chunks.get(chunks.size() - 1), offset, 32);
        size++;
        return true;
    }

    long size() {
        return size;
    }

    @Override
    public byte[] leaf(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("leaf " + index + " of " + size);
        }
        int offset = (int) (index % CHUNK_LEAVES) * 32;
        return Arrays.copyOfRange(chunks.get((int) (index / CHUNK_LEAVES)), offset, offset + 32);
    }
}
