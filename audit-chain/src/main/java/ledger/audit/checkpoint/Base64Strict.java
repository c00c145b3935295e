package ledger.audit.checkpoint;

import java.util.Base64;

/**
 * RFC 4648 base64, standard alphabet, with padding, and nothing else: the JDK decoder also
 * accepts missing padding and non-zero trailing bits, which would give one value many texts.
 */
public final class Base64Strict {

    private Base64Strict() {
    }

    public static byte[] decode(String text, String what) throws KeyFormatException {
        if (text == null || text.length() % 4 != 0) {
            throw new KeyFormatException(what + " is not padded base64");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(what + " is not base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new KeyFormatException(what + " is not canonical base64");
        }
        return bytes;
    }
}
