package ledger.audit.merkle;

/** A Merkle proof does not verify; the message shows the expected and the calculated values. */
public final class MerkleProofException extends Exception {

    private static final long serialVersionUID = 1L;

    public MerkleProofException(String message) {
        super(message);
    }
}
