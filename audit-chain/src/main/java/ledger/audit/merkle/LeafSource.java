package ledger.audit.merkle;

/**
 * Random access to the leaf inputs of a tenant's audit log: {@code D[i]}, the 32 raw bytes of the
 * hash of the event at position i (AUDIT-CHAIN.md section 2). Not the RFC 6962 leaf hash: this
 * module applies the 0x00 prefix itself. A database can back it; the log is append-only, so
 * {@code leaf(i)} must return the same bytes every time.
 */
@FunctionalInterface
public interface LeafSource {

    /** D[index]; exactly 32 bytes. Called with 0 <= index < the tree size in use. */
    byte[] leaf(long index);
}
