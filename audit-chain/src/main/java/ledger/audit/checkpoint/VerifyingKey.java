package ledger.audit.checkpoint;

import java.util.Arrays;
import java.util.Base64;
import ledger.audit.Sha256;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A trusted Ed25519 public key: raw 32 bytes, published as base64 of those bytes; its
 * {@code keyId} is the hex of the first 8 bytes of SHA-256 of the raw key (AUDIT-CHAIN.md 3).
 */
public final class VerifyingKey {

    public static final int RAW_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] raw;
    private final Ed25519PublicKeyParameters params;

    private VerifyingKey(byte[] raw, Ed25519PublicKeyParameters params) {
        this.raw = raw;
        this.params = params;
    }

    public static VerifyingKey fromRaw(byte[] raw) throws KeyFormatException {
        if (raw == null || raw.length != RAW_LENGTH) {
            throw new KeyFormatException("Ed25519 public key must be 32 raw bytes, got "
                    + (raw == null ? "none" : raw.length));
        }
        try {
            return new VerifyingKey(raw.clone(), new Ed25519PublicKeyParameters(raw, 0));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Strict RFC 4648 base64 (standard alphabet, padded) of the raw 32 bytes. */
    public static VerifyingKey fromBase64(String base64) throws KeyFormatException {
        return fromRaw(Base64Strict.decode(base64, "public key"));
    }

    public byte[] raw() {
        return raw.clone();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(raw);
    }

    /** hex of the first 8 bytes of SHA-256(raw). */
    public String keyId() {
        return Sha256.hex(Arrays.copyOf(Sha256.digest(raw), 8));
    }

    /** Pure Ed25519 (RFC 8032) verification. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, params);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Ed25519 public key " + base64() + " (keyId " + keyId() + ")";
    }
}
