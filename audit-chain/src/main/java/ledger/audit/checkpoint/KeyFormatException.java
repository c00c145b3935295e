package ledger.audit.checkpoint;

/** Key material is not a raw 32-byte Ed25519 key, base64 of one, or a PKCS#8 PEM of one. */
public final class KeyFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
