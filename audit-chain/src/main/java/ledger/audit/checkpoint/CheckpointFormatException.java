package ledger.audit.checkpoint;

/** A JSON object is not a checkpoint of AUDIT-CHAIN.md section 3; the message names the member. */
public final class CheckpointFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }
}
