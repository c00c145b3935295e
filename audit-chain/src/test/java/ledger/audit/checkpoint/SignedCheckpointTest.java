package ledger.audit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import ledger.audit.Json;
import ledger.audit.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedCheckpointTest {

    private static final SigningKey KEY = SigningKey.fromSeed(new byte[32]);
    private static final SigningKey OTHER = SigningKey.fromSeed(Sha256.digest(new byte[] {1}));
    private static final String ROOT = Sha256.hex(Sha256.digest(new byte[] {9}));

    private static SignedCheckpoint sample() {
        return SignedCheckpoint.issue(KEY, "ledger-1", "t1", 10, ROOT, Instant.parse("2025-03-04T05:06:07.123456789Z"));
    }

    @Test
    void canonicalBytesAreTheJcsOfTheSevenMembers() {
        Checkpoint c = sample().checkpoint();
        String expected = "{\"issuedAt\":\"2025-03-04T05:06:07.123456Z\",\"keyId\":\"" + KEY.keyId()
                + "\",\"ledgerId\":\"ledger-1\",\"rootHash\":\"" + ROOT + "\",\"tenant\":\"t1\",\"treeSize\":10,\"v\":1}";
        assertEquals(expected, new String(c.canonicalBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void signatureVerifiesWithTheSigningKeyOnly() throws Exception {
        SignedCheckpoint signed = sample();
        signed.verify(KEY.verifyingKey());
        CheckpointSignatureException e = assertThrows(CheckpointSignatureException.class,
                () -> signed.verify(OTHER.verifyingKey()));
        assertTrue(e.getMessage().startsWith("keyId: expected " + OTHER.keyId()), e.getMessage());
    }

    @Test
    void aChangedMemberBreaksTheSignature() {
        SignedCheckpoint signed = sample();
        Checkpoint c = signed.checkpoint();
        Checkpoint bigger = Checkpoint.of(c.ledgerId(), c.tenant(), c.treeSize() + 1, c.rootHash(), c.issuedAt(), c.keyId());
        assertThrows(CheckpointSignatureException.class,
                () -> new SignedCheckpoint(bigger, signed.signature()).verify(KEY.verifyingKey()));
        assertThrows(CheckpointSignatureException.class,
                () -> new SignedCheckpoint(c, "AAAA").verify(KEY.verifyingKey()));
        assertThrows(CheckpointSignatureException.class,
                () -> new SignedCheckpoint(c, "not base64").verify(KEY.verifyingKey()));
    }

    @Test
    void jsonRoundTrips() throws Exception {
        SignedCheckpoint signed = sample();
        SignedCheckpoint back = SignedCheckpoint.fromMembers(Json.mapper().readTree(signed.toJson().toString()));
        assertEquals(signed, back);
        back.verify(KEY.verifyingKey());
    }

    @Test
    void signingRefusesACheckpointNamingAnotherKey() {
        Checkpoint c = Checkpoint.of("l", "t", 1, ROOT, "2025-01-01T00:00:00.000000Z", OTHER.keyId());
        assertThrows(IllegalArgumentException.class, () -> SignedCheckpoint.sign(c, KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"remove:tenant", "add:extra", "v=2", "treeSize=-1", "treeSize=1.5", "treeSize=\"1\"",
        "rootHash=\"AB\"", "issuedAt=\"2025-01-01T00:00:00Z\"", "keyId=\"0011\"", "ledgerId=7",
        "treeSize=9007199254740992"})
    void fromJsonIsStrict(String change) throws Exception {
        ObjectNode json = sample().checkpoint().toJson();
        if (change.startsWith("remove:")) {
            json.remove(change.substring(7));
        } else if (change.startsWith("add:")) {
            json.put(change.substring(4), 1);
        } else {
            String[] kv = change.split("=", 2);
            json.set(kv[0], Json.mapper().readTree(kv[1]));
        }
        assertThrows(CheckpointFormatException.class, () -> Checkpoint.fromJson(json));
    }
}
