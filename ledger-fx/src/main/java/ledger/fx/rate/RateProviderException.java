package ledger.fx.rate;

/** A provider could not give a rate: unreachable, a bad answer, a bad file. An operating error. */
public class RateProviderException extends Exception {
    public RateProviderException(String message) {
        super(message);
    }

    public RateProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
