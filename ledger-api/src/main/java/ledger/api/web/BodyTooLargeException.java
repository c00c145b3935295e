package ledger.api.web;

import java.io.IOException;

/** Thrown while reading a request body that passes the size limit. */
public class BodyTooLargeException extends IOException {
    public BodyTooLargeException(long limitBytes) {
        super("the body is larger than " + limitBytes + " bytes");
    }
}
