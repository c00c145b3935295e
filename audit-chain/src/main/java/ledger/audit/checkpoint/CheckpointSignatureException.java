package ledger.audit.checkpoint;

/** A checkpoint's keyId or signature does not verify against the trusted key. */
public final class CheckpointSignatureException extends Exception {

    private static final long serialVersionUID = 1L;

    public CheckpointSignatureException(String message) {
        super(message);
    }
}
