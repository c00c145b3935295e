package ledger.audit.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import ledger.audit.CanonicalJson;
import ledger.audit.Json;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.CheckpointFormatException;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.merkle.InclusionProofVerifier;
import ledger.audit.merkle.LeafSource;
import ledger.audit.merkle.MerkleProofException;
import ledger.audit.merkle.ProofGenerator;

/**
 * A saved inclusion-proof response: proof that one event is in a tenant's log, self-contained
 * with the signed checkpoint it is against. The JSON form (one object, any whitespace):
 *
 * <pre>
 * {
 *   "eventId":   "uuid",            the event's envelope eventId (informational: not covered by the proof)
 *   "position":  p,                 the event's position in the tenant's audit log
 *   "hash":      "hex",             the event's hash, hex(SHA-256(JCS(envelope))) = D[p]
 *   "treeSize":  n,                 size of the tree the proof is against
 *   "rootHash":  "hex",             RFC 6962 root of that tree
 *   "proof":     ["hex", …],        RFC 6962 2.1.1 inclusion path of p in the tree of size n
 *   "checkpoint": {…},              the signed checkpoint of AUDIT-CHAIN.md section 3 with that size and root
 *   "signature": "base64"           its Ed25519 signature
 * }
 * </pre>
 */
public record InclusionProofDocument(String eventId, long position, String hash, long treeSize, String rootHash,
        List<String> proof, SignedCheckpoint signed) {

    public static final List<String> MEMBERS = List.of("eventId", "position", "hash", "treeSize", "rootHash", "proof",
            "checkpoint", "signature");

    public InclusionProofDocument {
        proof = List.copyOf(proof);
    }

    /**
     * Builds the document for the event at {@code position} against {@code checkpoint}, and checks
     * the proof before returning it (O(log n) beyond the proof's own cost).
     */
    public static InclusionProofDocument create(String eventId, long position, LeafSource leaves,
            SignedCheckpoint checkpoint) {
        long n = checkpoint.checkpoint().treeSize();
        byte[] leaf = leaves.leaf(position);
        List<byte[]> path = new ProofGenerator(leaves).inclusionProof(position, n);
        try {
            InclusionProofVerifier.verify(position, n, leaf, path, checkpoint.checkpoint().rootHashBytes());
        } catch (MerkleProofException e) {
            throw new IllegalStateException("the leaves do not match the checkpoint: " + e.getMessage(), e);
        }
        return new InclusionProofDocument(eventId, position, Sha256.hex(leaf), n, checkpoint.checkpoint().rootHash(),
                path.stream().map(Sha256::hex).toList(), checkpoint);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("eventId", eventId);
        o.put("position", position);
        o.put("hash", hash);
        o.put("treeSize", treeSize);
        o.put("rootHash", rootHash);
        ArrayNode p = o.putArray("proof");
        proof.forEach(p::add);
        o.setAll(signed.toJson());
        return o;
    }

    /** Strict parse: exactly the members above with their types; the message names the member. */
    public static InclusionProofDocument fromJson(JsonNode node) throws ProofDocumentFormatException {
        if (node == null || !node.isObject()) {
            throw new ProofDocumentFormatException("not a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw new ProofDocumentFormatException("unexpected member \"" + name + "\"");
            }
        }
        for (String name : MEMBERS) {
            if (!node.has(name)) {
                throw new ProofDocumentFormatException("lacks member \"" + name + "\"");
            }
        }
        JsonNode eventId = node.get("eventId");
        if (!eventId.isTextual()) {
            throw new ProofDocumentFormatException("eventId: expected a string, got " + eventId.getNodeType());
        }
        JsonNode proof = node.get("proof");
        if (!proof.isArray() || proof.size() > InclusionProofVerifier.PROOF_LENGTH_MAX) {
            throw new ProofDocumentFormatException("proof: expected an array of at most "
                    + InclusionProofVerifier.PROOF_LENGTH_MAX + " hex hashes");
        }
        List<String> path = new ArrayList<>(proof.size());
        for (int i = 0; i < proof.size(); i++) {
            path.add(hex(proof.get(i), "proof[" + i + "]"));
        }
        try {
            return new InclusionProofDocument(eventId.textValue(), integer(node, "position"),
                    hex(node.get("hash"), "hash"), integer(node, "treeSize"), hex(node.get("rootHash"), "rootHash"),
                    path, SignedCheckpoint.fromMembers(node));
        } catch (CheckpointFormatException e) {
            throw new ProofDocumentFormatException(e.getMessage());
        }
    }

    private static long integer(JsonNode node, String name) throws ProofDocumentFormatException {
        JsonNode v = node.get(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0
                || v.longValue() > CanonicalJson.NUMBER_MAGNITUDE_MAX) {
            throw new ProofDocumentFormatException(name + ": expected an integer in 0..2^53-1, got " + v);
        }
        return v.longValue();
    }

    private static String hex(JsonNode v, String name) throws ProofDocumentFormatException {
        if (!v.isTextual() || !Sha256.isHex(v.textValue(), 32)) {
            throw new ProofDocumentFormatException(name + ": expected 64 lowercase hex, got " + v);
        }
        return v.textValue();
    }
}
