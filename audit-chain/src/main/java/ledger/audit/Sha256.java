package ledger.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and the lowercase hex of AUDIT-CHAIN.md. */
public final class Sha256 {

    public static final int DIGEST_LENGTH = 32;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Never updated nor handed out: only cloned by {@link #newDigest()}. */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {
    }

    public static byte[] digest(byte[] input) {
        return newDigest().digest(input);
    }

    /**
     * A fresh SHA-256 {@link MessageDigest}; every Java platform must provide one. Cloned from an
     * unused prototype, which is much cheaper than a provider look-up for every hash.
     */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Lowercase hex. */
    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Strict inverse of {@link #hex}: lowercase only, even length. */
    public static byte[] unhex(String hex) {
        if (hex == null || hex.length() % 2 != 0) {
            throw new IllegalArgumentException("not lowercase hex of whole bytes: " + abbreviate(hex));
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = nibble(hex.charAt(2 * i));
            int lo = nibble(hex.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not lowercase hex: " + abbreviate(hex));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** True when s is lowercase hex of exactly {@code byteCount} bytes. */
    public static boolean isHex(String s, int byteCount) {
        if (s == null || s.length() != byteCount * 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (nibble(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int nibble(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? "\"" + s + "\"" : "\"" + s.substring(0, 77) + "...\"";
    }
}
