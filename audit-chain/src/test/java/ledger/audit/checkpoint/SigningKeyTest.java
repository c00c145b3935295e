package ledger.audit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import ledger.audit.Sha256;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

    /** RFC 8032 section 7.1, TEST 1. */
    private static final String RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    /** The same seed as PKCS#8, as written by hand from RFC 8410 and read back by OpenSSL 3. */
    private static final String RFC8032_PEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
            -----END PRIVATE KEY-----
            """;
    /** Signature of the one byte 0x72 with that key, computed with {@code openssl pkeyutl -sign -rawin}. */
    private static final String OPENSSL_SIGNATURE_OF_72 = "1b79abc415a34efe5915b4c1b53d2435e731b3c92d0ba440de29cab2999fa885"
            + "bd0eb3c71dfd8df6fbecf8c0ef403e8902dec8e2abd00ab9b04b1df027929609";

    @Test
    void derivesTheRfc8032PublicKeyAndItsKeyId() {
        SigningKey key = SigningKey.fromSeed(Sha256.unhex(RFC8032_SEED));
        assertEquals(RFC8032_PUBLIC, Sha256.hex(key.verifyingKey().raw()));
        assertEquals("21fe31dfa154a261", key.keyId());
        assertEquals("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", key.verifyingKey().base64());
    }

    @Test
    void signsLikeOpenSsl() {
        SigningKey key = SigningKey.fromSeed(Sha256.unhex(RFC8032_SEED));
        byte[] signature = key.sign(new byte[] {0x72});
        assertEquals(OPENSSL_SIGNATURE_OF_72, Sha256.hex(signature));
        assertTrue(key.verifyingKey().verify(new byte[] {0x72}, signature));
        assertFalse(key.verifyingKey().verify(new byte[] {0x73}, signature));
    }

    @Test
    void readsAndWritesPkcs8PemLikeOpenSsl() throws Exception {
        SigningKey key = SigningKey.fromPkcs8Pem(RFC8032_PEM);
        assertEquals(RFC8032_SEED, Sha256.hex(key.seed()));
        assertEquals(RFC8032_PEM, key.toPkcs8Pem().replace("\r\n", "\n"));
    }

    @Test
    void generatedKeysRoundTripThroughPem() throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        SigningKey back = SigningKey.fromPkcs8Pem(key.toPkcs8Pem());
        assertEquals(key.verifyingKey(), back.verifyingKey());
        assertArrayEquals(key.sign(new byte[] {1, 2, 3}), back.sign(new byte[] {1, 2, 3}));
    }

    @Test
    void rejectsWhatIsNotAnEd25519Pkcs8Pem() {
        assertThrows(KeyFormatException.class, () -> SigningKey.fromPkcs8Pem("hello"));
        assertThrows(KeyFormatException.class, () -> SigningKey.fromPkcs8Pem(null));
        assertThrows(KeyFormatException.class,
                () -> SigningKey.fromPkcs8Pem(RFC8032_PEM.replace("PRIVATE KEY", "PUBLIC KEY")));
        assertThrows(KeyFormatException.class,
                () -> SigningKey.fromPkcs8Pem(RFC8032_PEM.replace("K2Vw", "K2Vx")));
        assertThrows(KeyFormatException.class, () -> SigningKey.fromPkcs8Pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    }

    @Test
    void verifyingKeyParsingIsStrict() throws Exception {
        assertEquals(RFC8032_PUBLIC, Sha256.hex(VerifyingKey.fromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").raw()));
        assertThrows(KeyFormatException.class, () -> VerifyingKey.fromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"));
        assertThrows(KeyFormatException.class, () -> VerifyingKey.fromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURp="));
        assertThrows(KeyFormatException.class, () -> VerifyingKey.fromBase64("AAAA"));
        assertThrows(KeyFormatException.class, () -> VerifyingKey.fromBase64("!!!!"));
        assertThrows(KeyFormatException.class, () -> VerifyingKey.fromBase64(null));
    }
}
