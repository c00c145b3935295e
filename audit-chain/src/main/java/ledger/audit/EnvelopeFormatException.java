package ledger.audit;

/** A JSON object is not an envelope of AUDIT-CHAIN.md section 1; the message names the member. */
public final class EnvelopeFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public EnvelopeFormatException(String message) {
        super(message);
    }
}
