package ledger.reconciliation.statement;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An input stream that hashes (SHA-256) and counts every byte read through it, so a parser
 * fingerprints the file in the same pass that parses it. {@link #finish()} reads whatever the
 * parser left unread (trailing bytes after the last message) so the digest always covers the
 * whole file.
 */
public final class ContentDigest extends FilterInputStream {
    private final MessageDigest sha256;
    private long bytes;

    public ContentDigest(InputStream in) {
        super(in);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            sha256.update((byte) b);
            bytes++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            sha256.update(buffer, offset, n);
            bytes += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed: read them instead.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Drains the rest of the stream and returns the lower-case hex SHA-256 of all its bytes. */
    public String finish() throws IOException {
        byte[] buffer = new byte[8192];
        while (read(buffer, 0, buffer.length) >= 0) {
            // drained into the digest
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /**
     * This stream as a reader library may close without ending the digest: some (the JDK's StAX,
     * commons-csv) close their input when they are done, before {@link #finish()} drains the rest.
     */
    public InputStream shielded() {
        return new FilterInputStream(this) {
            @Override
            public void close() {
                // the owner of the ContentDigest closes the real stream
            }
        };
    }

    public long bytes() {
        return bytes;
    }
}
