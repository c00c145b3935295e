package ledger.audit.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import ledger.audit.Json;
import ledger.audit.Ts6;

/**
 * A checkpoint with its signature: base64(Ed25519-sign(key, JCS(checkpoint))).
 * {@link #toJson()} gives {@code {"checkpoint":{…},"signature":"base64"}}, the members shared by
 * the export's checkpoint line and the inclusion-proof document.
 */
public record SignedCheckpoint(Checkpoint checkpoint, String signature) {

    public SignedCheckpoint {
        if (checkpoint == null || signature == null) {
            throw new IllegalArgumentException("checkpoint and signature are required");
        }
    }

    /** Issues and signs a checkpoint; the keyId is the signing key's. */
    public static SignedCheckpoint issue(SigningKey key, String ledgerId, String tenant, long treeSize,
            String rootHash, Instant issuedAt) {
        return sign(Checkpoint.of(ledgerId, tenant, treeSize, rootHash, Ts6.format(issuedAt), key.keyId()), key);
    }

    public static SignedCheckpoint sign(Checkpoint checkpoint, SigningKey key) {
        if (!checkpoint.keyId().equals(key.keyId())) {
            throw new IllegalArgumentException("checkpoint keyId " + checkpoint.keyId()
                    + " is not the signing key's " + key.keyId());
        }
        byte[] signature = key.sign(checkpoint.canonicalBytes());
        return new SignedCheckpoint(checkpoint, Base64.getEncoder().encodeToString(signature));
    }

    /** Check 4 of AUDIT-CHAIN.md section 5: keyId is the trusted key's and the signature verifies. */
    public void verify(VerifyingKey trusted) throws CheckpointSignatureException {
        if (!checkpoint.keyId().equals(trusted.keyId())) {
            throw new CheckpointSignatureException("keyId: expected " + trusted.keyId() + " (the trusted key), actual "
                    + checkpoint.keyId());
        }
        byte[] sig;
        try {
            sig = Base64Strict.decode(signature, "signature");
        } catch (KeyFormatException e) {
            throw new CheckpointSignatureException(e.getMessage());
        }
        if (sig.length != VerifyingKey.SIGNATURE_LENGTH) {
            throw new CheckpointSignatureException("signature: expected 64 bytes, actual " + sig.length);
        }
        if (!trusted.verify(checkpoint.canonicalBytes(), sig)) {
            throw new CheckpointSignatureException("signature: does not verify with trusted key " + trusted.keyId()
                    + " over JCS(checkpoint)");
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.set("checkpoint", checkpoint.toJson());
        o.put("signature", signature);
        return o;
    }

    /** Reads the {@code checkpoint} and {@code signature} members of {@code node} (others are ignored here). */
    public static SignedCheckpoint fromMembers(JsonNode node) throws CheckpointFormatException {
        JsonNode signature = node.get("signature");
        if (signature == null || !signature.isTextual()) {
            throw new CheckpointFormatException("signature: expected a base64 string, got "
                    + (signature == null ? "nothing" : signature.getNodeType()));
        }
        return new SignedCheckpoint(Checkpoint.fromJson(node.get("checkpoint")), signature.textValue());
    }
}
