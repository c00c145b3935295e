package ledger.audit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import ledger.audit.fixture.Seeded;
import ledger.audit.fixture.TestLog;
import org.junit.jupiter.api.Test;

class SignatureProperties {

    private static final SignedCheckpoint SIGNED = TestLog.standard(3).checkpoint(3, TestLog.KEY);

    @Test
    void randomSignaturesNeverVerifyAndNeverThrowAnythingElse() throws Exception {
        Seeded.forAll("random signatures", 300, r -> {
            byte[] signature = new byte[64];
            r.nextBytes(signature);
            SignedCheckpoint forged = new SignedCheckpoint(SIGNED.checkpoint(),
                    Base64.getEncoder().encodeToString(signature));
            assertThrows(CheckpointSignatureException.class, () -> forged.verify(TestLog.KEY.verifyingKey()));
        });
    }

    @Test
    void randomPublicKeysAreRejectedOrUsableNeverAnotherException() throws Exception {
        Seeded.forAll("random public keys", 300, r -> {
            byte[] raw = new byte[32];
            r.nextBytes(raw);
            try {
                VerifyingKey key = VerifyingKey.fromRaw(raw);
                assertThrows(CheckpointSignatureException.class, () -> SIGNED.verify(key));
            } catch (KeyFormatException expected) {
                // not a point on the curve
            }
        });
    }
}
