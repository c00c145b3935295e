package ledger.audit.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import ledger.audit.CanonicalJson;
import ledger.audit.Json;
import ledger.audit.NumberRuleException;
import ledger.audit.Sha256;
import ledger.audit.Ts6;

/**
 * A checkpoint of AUDIT-CHAIN.md section 3: the log of {@code tenant} had {@code treeSize}
 * entries with Merkle root {@code rootHash} at {@code issuedAt}. The constructor checks every
 * member and throws {@link IllegalArgumentException}; {@link #fromJson} is the strict, checked
 * way in for untrusted input.
 */
public record Checkpoint(int v, String ledgerId, String tenant, long treeSize, String rootHash, String issuedAt,
        String keyId) {

    public static final int VERSION = 1;

    public static final List<String> MEMBERS = List.of("v", "ledgerId", "tenant", "treeSize", "rootHash", "issuedAt",
            "keyId");

    public Checkpoint {
        require(v == VERSION, "v must be 1, got " + v);
        require(ledgerId != null, "ledgerId is null");
        require(tenant != null, "tenant is null");
        CanonicalJson.requireIJson(ledgerId);
        CanonicalJson.requireIJson(tenant);
        require(treeSize >= 0 && treeSize <= CanonicalJson.NUMBER_MAGNITUDE_MAX,
                "treeSize outside 0..2^53-1: " + treeSize);
        require(Sha256.isHex(rootHash, 32), "rootHash is not 64 lowercase hex: " + rootHash);
        require(Ts6.isValid(issuedAt), "issuedAt is not ts6: " + issuedAt);
        require(Sha256.isHex(keyId, 8), "keyId is not 16 lowercase hex: " + keyId);
    }

    public static Checkpoint of(String ledgerId, String tenant, long treeSize, String rootHash, String issuedAt,
            String keyId) {
        return new Checkpoint(VERSION, ledgerId, tenant, treeSize, rootHash, issuedAt, keyId);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("v", v);
        o.put("ledgerId", ledgerId);
        o.put("tenant", tenant);
        o.put("treeSize", treeSize);
        o.put("rootHash", rootHash);
        o.put("issuedAt", issuedAt);
        o.put("keyId", keyId);
        return o;
    }

    /** UTF-8 bytes of JCS(checkpoint): what is signed. */
    public byte[] canonicalBytes() {
        try {
            return CanonicalJson.canonicalize(toJson());
        } catch (NumberRuleException e) {
            throw new IllegalStateException("constructor let a number rule violation through", e);
        }
    }

    public byte[] rootHashBytes() {
        return Sha256.unhex(rootHash);
    }

    /** Strict parse: exactly the seven members, with the types and forms of section 3. */
    public static Checkpoint fromJson(JsonNode node) throws CheckpointFormatException {
        if (node == null || !node.isObject()) {
            throw new CheckpointFormatException("checkpoint is not a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw new CheckpointFormatException("checkpoint has unexpected member \"" + name + "\"");
            }
        }
        for (String name : MEMBERS) {
            if (!node.has(name)) {
                throw new CheckpointFormatException("checkpoint lacks member \"" + name + "\"");
            }
        }
        JsonNode v = node.get("v");
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() != VERSION) {
            throw new CheckpointFormatException("checkpoint v: expected 1, got " + v);
        }
        JsonNode treeSize = node.get("treeSize");
        if (!treeSize.isIntegralNumber() || !treeSize.canConvertToLong() || treeSize.longValue() < 0
                || treeSize.longValue() > CanonicalJson.NUMBER_MAGNITUDE_MAX) {
            throw new CheckpointFormatException("checkpoint treeSize: expected an integer in 0..2^53-1, got " + treeSize);
        }
        String rootHash = text(node, "rootHash");
        if (!Sha256.isHex(rootHash, 32)) {
            throw new CheckpointFormatException("checkpoint rootHash: expected 64 lowercase hex, got " + rootHash);
        }
        String issuedAt = text(node, "issuedAt");
        if (!Ts6.isValid(issuedAt)) {
            throw new CheckpointFormatException("checkpoint issuedAt: expected ts6, got " + issuedAt);
        }
        String keyId = text(node, "keyId");
        if (!Sha256.isHex(keyId, 8)) {
            throw new CheckpointFormatException("checkpoint keyId: expected 16 lowercase hex, got " + keyId);
        }
        try {
            return of(text(node, "ledgerId"), text(node, "tenant"), treeSize.longValue(), rootHash, issuedAt, keyId);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("checkpoint: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String name) throws CheckpointFormatException {
        JsonNode value = node.get(name);
        if (!value.isTextual()) {
            throw new CheckpointFormatException("checkpoint " + name + ": expected a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    private static void require(boolean condition, String why) {
        if (!condition) {
            throw new IllegalArgumentException(why);
        }
    }
}
