package ledger.api.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import ledger.api.web.Refuses;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.app.Refusal;
import ledger.audit.CanonicalJson;
import ledger.audit.Json;
import ledger.audit.NumberRuleException;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.merkle.InclusionProofVerifier;
import ledger.audit.merkle.MerkleProofException;
import ledger.audit.proof.InclusionProofDocument;
import ledger.projections.audit.AuditLogQueries;
import ledger.projections.audit.AuditLogQueries.Entry;
import ledger.projections.audit.CheckpointStore;
import ledger.projections.audit.CheckpointStore.KnownKey;
import ledger.projections.audit.MerkleNodeStore;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The auditor's side of the ledger (AUDIT-CHAIN.md): the public key, signed checkpoints, the
 * export, and inclusion and consistency proofs, always of the caller's own tenant. JSON bodies are
 * written as JCS, so what is signed reads back byte for byte.
 */
@RestController
@Tag(name = "audit")
@SecurityRequirement(name = "apiKey")
public class AuditController {
    public static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    static final int EVENT_ID_LENGTH_MAX = 255;

    private final CheckpointService checkpoints;
    private final AuditExport export;
    private final AuditLogQueries log;
    private final MerkleNodeStore nodes;
    private final CheckpointStore store;

    public AuditController(CheckpointService checkpoints, AuditExport export, AuditLogQueries log,
                           MerkleNodeStore nodes, CheckpointStore store) {
        this.checkpoints = checkpoints;
        this.export = export;
        this.log = log;
        this.nodes = nodes;
        this.store = store;
    }

    @GetMapping("/v1/audit/public-key")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN, Role.OPERATOR})
    @Operation(operationId = "getAuditPublicKey", summary = "The Ed25519 key that signs checkpoints (base64 of its raw 32 bytes) and the keys it replaced")
    @ApiResponse(responseCode = "200", description = "The current key and the ones it replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AuditDocuments.PublicKey.class)))
    public ResponseEntity<String> publicKey() {
        VerifyingKey current = checkpoints.publicKey();
        ObjectNode body = Json.nodes().objectNode();
        body.put("publicKey", current.base64());
        body.put("keyId", current.keyId());
        ArrayNode previous = body.putArray("previousKeys");
        for (KnownKey k : store.keys()) {
            if (!k.keyId().equals(current.keyId())) {
                previous.addObject().put("publicKey", k.publicKey()).put("keyId", k.keyId());
            }
        }
        return json(HttpStatus.OK, body);
    }

    @PostMapping("/v1/audit/checkpoints")
    @Allowed({Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "signCheckpoint", summary = "Sign a checkpoint of the caller's audit log as it is now (201), or return the one of that size (200)")
    @ApiResponse(responseCode = "201", description = "A new checkpoint, signed now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AuditDocuments.SignedCheckpoint.class)))
    @ApiResponse(responseCode = "200", description = "The checkpoint of that size, signed earlier",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AuditDocuments.SignedCheckpoint.class)))
    @Refuses({"audit_log_empty"})
    public ResponseEntity<String> checkpoint(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        CheckpointService.Issued issued = checkpoints.atLogEnd(caller.tenant());
        return json(issued.created() ? HttpStatus.CREATED : HttpStatus.OK, issued.signed().toJson());
    }

    @GetMapping("/v1/audit/export")
    @Allowed({Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "exportAuditLog", summary = "Export positions from..to of the caller's audit log as JSON Lines (AUDIT-CHAIN.md section 4)")
    @ApiResponse(responseCode = "200", description = "One JSON object per line: the log's entries from..to (AUDIT-CHAIN.md section 4)",
            content = @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = String.class)))
    @Refuses({"audit_log_empty"})
    public ResponseEntity<StreamingResponseBody> export(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                                        @RequestParam(name = "from", required = false) Long from,
                                                        @RequestParam(name = "to", required = false) Long to) {
        AuditExport.Plan plan = export.plan(caller.tenant(), from, to);
        String file = "audit-" + caller.tenant() + "-" + plan.from() + "-" + plan.to() + ".jsonl";
        return ResponseEntity.ok()
                .contentType(NDJSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                .header("X-Audit-Tree-Size", Long.toString(plan.treeSize()))
                .body(out -> export.write(plan, out));
    }

    @GetMapping("/v1/audit/proofs/inclusion")
    @Allowed({Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getInclusionProof", summary = "Proof that an event is in the caller's audit log, against a signed checkpoint "
            + "(the document audit-verify verify-inclusion reads)")
    @ApiResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AuditDocuments.InclusionProof.class)))
    @Refuses({"event_not_found", "audit_log_empty"})
    public ResponseEntity<String> inclusion(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                            @RequestParam(name = "eventId") String eventId) {
        if (eventId.isBlank() || eventId.length() > EVENT_ID_LENGTH_MAX) {
            throw Refusal.validation("eventId must be an event identifier of 1.." + EVENT_ID_LENGTH_MAX
                    + " characters");
        }
        Entry entry = log.entry(caller.tenant(), eventId).orElseThrow(() -> Refusal.notFound("event_not_found",
                "event " + eventId + " is not in the audit log of tenant " + caller.tenant()
                        + " (events reach it a moment after they are committed)"));
        SignedCheckpoint signed = checkpoints.covering(caller.tenant(), entry.position()).signed();
        long n = signed.checkpoint().treeSize();
        List<byte[]> path = nodes.inclusionProof(caller.tenant(), entry.position(), n);
        try {
            InclusionProofVerifier.verify(entry.position(), n, entry.hash(), path, signed.checkpoint().rootHashBytes());
        } catch (MerkleProofException e) {
            throw new IllegalStateException("stored Merkle nodes disagree with checkpoint " + n + ": "
                    + e.getMessage(), e);
        }
        InclusionProofDocument doc = new InclusionProofDocument(eventId, entry.position(), Sha256.hex(entry.hash()),
                n, signed.checkpoint().rootHash(), path.stream().map(Sha256::hex).toList(), signed);
        return json(HttpStatus.OK, doc.toJson());
    }

    @GetMapping("/v1/audit/proofs/consistency")
    @Allowed({Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getConsistencyProof", summary = "RFC 6962 consistency proof between two checkpoints (tree sizes) of the caller's audit log")
    @ApiResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AuditDocuments.ConsistencyProof.class)))
    @Refuses({"checkpoint_not_found"})
    public ResponseEntity<String> consistency(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                              @RequestParam(name = "from") long from,
                                              @RequestParam(name = "to") long to) {
        if (from < 1 || to < from) {
            throw Refusal.validation("need 1 <= from <= to, got from=" + from + " to=" + to);
        }
        SignedCheckpoint first = checkpoint(caller.tenant(), from);
        SignedCheckpoint second = checkpoint(caller.tenant(), to);
        List<byte[]> proof = checkpoints.consistencyProof(caller.tenant(), first, second);
        ObjectNode body = Json.nodes().objectNode();
        body.put("fromTreeSize", from);
        body.put("toTreeSize", to);
        ArrayNode p = body.putArray("proof");
        proof.forEach(h -> p.add(Sha256.hex(h)));
        body.set("from", first.toJson());
        body.set("to", second.toJson());
        return json(HttpStatus.OK, body);
    }

    private SignedCheckpoint checkpoint(String tenant, long size) {
        return checkpoints.existing(tenant, size).orElseThrow(() -> Refusal.notFound("checkpoint_not_found",
                "tenant " + tenant + " has no checkpoint of tree size " + size + " signed by the current key"));
    }

    private static ResponseEntity<String> json(HttpStatus status, ObjectNode body) {
        try {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                    .body(CanonicalJson.canonicalString(body));
        } catch (NumberRuleException e) {
            throw new IllegalStateException(e);
        }
    }
}
