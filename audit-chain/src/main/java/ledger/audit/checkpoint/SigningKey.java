package ledger.audit.checkpoint;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * An Ed25519 private key (RFC 8032, pure Ed25519) held through BouncyCastle's lightweight API.
 * Stored as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as {@code openssl genpkey
 * -algorithm ed25519} writes it.
 */
public final class SigningKey {

    private static final String PEM_TYPE = "PRIVATE KEY";
    /** id-Ed25519, RFC 8410 section 3. */
    private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    /** A PKCS#8 PEM of an Ed25519 key is about 120 characters; anything far bigger is not one. */
    private static final int PEM_LENGTH_MAX = 16 * 1024;

    private final Ed25519PrivateKeyParameters params;
    private final VerifyingKey verifyingKey;

    private SigningKey(Ed25519PrivateKeyParameters params) {
        this.params = params;
        try {
            this.verifyingKey = VerifyingKey.fromRaw(params.generatePublicKey().getEncoded());
        } catch (KeyFormatException e) {
            throw new IllegalStateException("BouncyCastle derived an invalid public key", e);
        }
    }

    /** A new key from {@code random}; pass a {@link SecureRandom} explicitly. */
    public static SigningKey generate(SecureRandom random) {
        return new SigningKey(new Ed25519PrivateKeyParameters(random));
    }

    /** The key whose RFC 8032 32-byte seed ("private key") is {@code seed}. For fixed test keys. */
    public static SigningKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("Ed25519 seed must be 32 bytes");
        }
        return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public static SigningKey fromPkcs8Pem(String pem) throws KeyFormatException {
        if (pem == null || pem.length() > PEM_LENGTH_MAX) {
            throw new KeyFormatException("not a PKCS#8 PEM private key (missing or too long)");
        }
        PemObject object;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            object = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("not a PEM file: " + e.getMessage(), e);
        }
        if (object == null || !PEM_TYPE.equals(object.getType())) {
            throw new KeyFormatException("expected a PEM block \"" + PEM_TYPE + "\" (PKCS#8), got "
                    + (object == null ? "none" : "\"" + object.getType() + "\""));
        }
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(object.getContent());
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("not a PKCS#8 private key: " + e.getMessage(), e);
        }
        if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
            throw new KeyFormatException("PKCS#8 key is not Ed25519 but " + key.getClass().getSimpleName());
        }
        return new SigningKey(ed25519);
    }

    /** PKCS#8 v1 (RFC 5958 version 0, no public key attribute) PEM, the form OpenSSL writes. */
    public String toPkcs8Pem() {
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(ID_ED25519),
                    new DEROctetString(params.getEncoded()));
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PemObject(PEM_TYPE, info.getEncoded("DER")));
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("encoding to memory failed", e);
        }
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    public String keyId() {
        return verifyingKey.keyId();
    }

    /** Pure Ed25519 signature (64 bytes) of {@code message}. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, params);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** The 32-byte seed; handle with care. */
    byte[] seed() {
        return Arrays.copyOf(params.getEncoded(), Ed25519PrivateKeyParameters.KEY_SIZE);
    }

    @Override
    public String toString() {
        return "Ed25519 signing key " + keyId();
    }
}
