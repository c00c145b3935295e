package ledger.api.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The OpenAPI schemas of the audit answers. {@link AuditController} writes them as canonical JSON
 * (RFC 8785) from the audit chain's own types (AUDIT-CHAIN.md), which know nothing of OpenAPI;
 * these records name the same members with the same types, and the integration tests check every
 * audit answer against them through the served document.
 */
public final class AuditDocuments {
    private AuditDocuments() {
    }

    @Schema(description = "A key that signs (or signed) checkpoints")
    public record KnownKey(@Schema(description = "base64 of the raw 32-byte Ed25519 public key") String publicKey,
                           @Schema(description = "16 lowercase hex digits") String keyId) {
    }

    @Schema(description = "The key that signs checkpoints now, and the keys it replaced")
    public record PublicKey(@Schema(description = "base64 of the raw 32-byte Ed25519 public key") String publicKey,
                            @Schema(description = "16 lowercase hex digits") String keyId,
                            List<KnownKey> previousKeys) {
    }

    @Schema(description = "What is signed (AUDIT-CHAIN.md section 3)")
    public record Checkpoint(@Schema(description = "format version: 1") int v, String ledgerId, String tenant,
                             long treeSize, @Schema(description = "64 lowercase hex digits") String rootHash,
                             @Schema(description = "RFC 3339 UTC with microseconds") String issuedAt,
                             String keyId) {
    }

    @Schema(description = "A checkpoint and its Ed25519 signature (base64) over the checkpoint's canonical JSON")
    public record SignedCheckpoint(Checkpoint checkpoint, String signature) {
    }

    @Schema(description = "Proof that an event is in the audit log, with the signed checkpoint it is proven against")
    public record InclusionProof(String eventId, long position, @Schema(description = "the leaf hash, hex") String hash,
                                 long treeSize, String rootHash,
                                 @Schema(description = "audit path, hex hashes") List<String> proof,
                                 Checkpoint checkpoint, String signature) {
    }

    @Schema(description = "RFC 6962 consistency proof between two signed checkpoints")
    public record ConsistencyProof(long fromTreeSize, long toTreeSize,
                                   @Schema(description = "hex hashes") List<String> proof,
                                   SignedCheckpoint from, SignedCheckpoint to) {
    }
}
