package ledger.api.audit;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.CheckpointSignatureException;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.SigningKey;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.merkle.ConsistencyProofVerifier;
import ledger.audit.merkle.MerkleProofException;
import ledger.projections.audit.AuditLogQueries;
import ledger.projections.audit.CheckpointStore;
import ledger.projections.audit.MerkleNodeStore;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues signed checkpoints (AUDIT-CHAIN.md section 3), one tenant at a time (advisory lock), each
 * proven consistent with its stored neighbours before it is stored: the consistency proof is
 * generated from the stored Merkle nodes and verified with audit-chain's verifier, so a
 * checkpoint that an auditor could not reconcile with an earlier one is never signed.
 */
public class CheckpointService {
    private final TransactionTemplate tx;
    private final AuditLogQueries log;
    private final MerkleNodeStore nodes;
    private final CheckpointStore store;
    private final SigningKey key;
    private final String ledgerId;
    private final Clock clock;
    private volatile boolean keyRegistered;

    public CheckpointService(TransactionTemplate tx, AuditLogQueries log, MerkleNodeStore nodes,
                             CheckpointStore store, SigningKey key, String ledgerId, Clock clock) {
        this.tx = tx;
        this.log = log;
        this.nodes = nodes;
        this.store = store;
        this.key = key;
        this.ledgerId = ledgerId;
        this.clock = clock;
    }

    /** A checkpoint and whether this call created it. */
    public record Issued(SignedCheckpoint signed, boolean created) {
        public long treeSize() {
            return signed.checkpoint().treeSize();
        }
    }

    public VerifyingKey publicKey() {
        return key.verifyingKey();
    }

    public String ledgerId() {
        return ledgerId;
    }

    public long logSize(String tenant) {
        return log.size(tenant);
    }

    /** The checkpoint of the whole log as it is now (reused when one of that size exists). */
    public Issued atLogEnd(String tenant) {
        long size = log.size(tenant);
        if (size == 0) {
            throw emptyLog(tenant);
        }
        return atSize(tenant, size);
    }

    /** The checkpoint of the first {@code size} events, issued if this key has none of that size. */
    public Issued atSize(String tenant, long size) {
        Optional<SignedCheckpoint> existing = store.atSize(tenant, size, key.keyId());
        if (existing.isPresent()) {
            return new Issued(existing.get(), false);
        }
        registerKey();
        return tx.execute(status -> issueLocked(tenant, size));
    }

    /** The latest checkpoint that contains {@code position}; a new one at the log's end if none does. */
    public Issued covering(String tenant, long position) {
        Optional<SignedCheckpoint> latest = store.latest(tenant, key.keyId());
        if (latest.isPresent() && latest.get().checkpoint().treeSize() > position) {
            return new Issued(latest.get(), false);
        }
        return atLogEnd(tenant);
    }

    public Optional<SignedCheckpoint> latest(String tenant) {
        return store.latest(tenant, key.keyId());
    }

    public Optional<SignedCheckpoint> existing(String tenant, long size) {
        return store.atSize(tenant, size, key.keyId());
    }

    /** Earlier checkpoints of this key for an export of {@code from..size-1}: treeSize in (from, size). */
    public List<SignedCheckpoint> earlier(String tenant, long from, long size) {
        return store.between(tenant, key.keyId(), from, size);
    }

    /** PROOF(m, D[0:n]) from the stored nodes, verified against the two checkpoints' roots. */
    public List<byte[]> consistencyProof(String tenant, SignedCheckpoint first, SignedCheckpoint second) {
        long m = first.checkpoint().treeSize();
        long n = second.checkpoint().treeSize();
        List<byte[]> proof = nodes.consistencyProof(tenant, m, n);
        try {
            ConsistencyProofVerifier.verify(m, first.checkpoint().rootHashBytes(), n,
                    second.checkpoint().rootHashBytes(), proof);
        } catch (MerkleProofException e) {
            throw new IllegalStateException("history of " + tenant + " changed: checkpoints " + m + " and " + n
                    + " are inconsistent: " + e.getMessage(), e);
        }
        return proof;
    }

    private SignedCheckpoint issueAndCheck(String tenant, long size) {
        byte[] root = nodes.root(tenant, size);
        SignedCheckpoint signed = SignedCheckpoint.issue(key, ledgerId, tenant, size, Sha256.hex(root),
                clock.instant());
        store.atOrBelow(tenant, size).ifPresent(previous -> consistencyProof(tenant, previous, signed));
        store.atOrAbove(tenant, size).ifPresent(next -> consistencyProof(tenant, signed, next));
        try {
            signed.verify(key.verifyingKey());
        } catch (CheckpointSignatureException e) {
            throw new IllegalStateException("a checkpoint just signed does not verify: " + e.getMessage(), e);
        }
        return signed;
    }

    private Issued issueLocked(String tenant, long size) {
        store.lock(tenant);
        Optional<SignedCheckpoint> existing = store.atSize(tenant, size, key.keyId());
        if (existing.isPresent()) {
            return new Issued(existing.get(), false); // issued by another caller while this one waited
        }
        long logSize = log.size(tenant);
        if (size < 1 || size > logSize) {
            throw Refusal.validation("a checkpoint needs a tree size in 1.." + logSize + ", got " + size);
        }
        SignedCheckpoint signed = issueAndCheck(tenant, size);
        store.insert(signed);
        return new Issued(signed, true);
    }

    private void registerKey() {
        if (!keyRegistered) {
            store.registerKey(key.keyId(), key.verifyingKey().base64(), clock.instant().atOffset(ZoneOffset.UTC));
            keyRegistered = true;
        }
    }

    static Refusal emptyLog(String tenant) {
        return new Refusal(Codes.AUDIT_LOG_EMPTY, "the audit log of tenant " + tenant
                + " has no events yet (events reach it a moment after they are committed)");
    }
}
