package ledger.audit.proof;

/** A saved inclusion-proof document lacks a member or has one of the wrong type. */
public final class ProofDocumentFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProofDocumentFormatException(String message) {
        super(message);
    }
}
