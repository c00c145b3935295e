package ledger.projections.audit;

import static ledger.projections.audit.AuditTables.Checkpoint;
import static ledger.projections.audit.AuditTables.Key;
import static org.jooq.impl.DSL.field;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import ledger.audit.Json;
import ledger.audit.Ts6;
import ledger.audit.checkpoint.CheckpointFormatException;
import ledger.audit.checkpoint.SignedCheckpoint;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.SQLDialect;

/**
 * Signed checkpoints and the public keys that signed them. A checkpoint is stored as the exact
 * JCS bytes that were signed, and read back through audit-chain's strict parser.
 */
public class CheckpointStore {
    /** The most earlier checkpoints one export carries. */
    public static final int EARLIER_MAX = 100;
    public static final int KEYS_MAX = 1000;

    private final DSLContext dsl;

    public CheckpointStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A public key that signed (or signs) checkpoints here. */
    public record KnownKey(String keyId, String publicKey, OffsetDateTime firstUsedAt) {
    }

    /**
     * Serialises checkpoint issuance of one tenant until the surrounding transaction ends
     * (PostgreSQL transaction-scoped advisory lock on a hash of the tenant).
     */
    public void lock(String tenant) {
        if (dsl.dialect().family() != SQLDialect.POSTGRES) {
            throw new IllegalStateException("checkpoint issuance needs PostgreSQL advisory locks");
        }
        dsl.select(field("pg_advisory_xact_lock(hashtextextended({0}, 6962))", Object.class,
                        org.jooq.impl.DSL.val("audit-checkpoint/" + tenant)))
                .fetch();
    }

    public void insert(SignedCheckpoint signed) {
        ledger.audit.checkpoint.Checkpoint c = signed.checkpoint();
        dsl.insertInto(Checkpoint.T)
                .set(Checkpoint.TENANT, c.tenant())
                .set(Checkpoint.TREE_SIZE, c.treeSize())
                .set(Checkpoint.KEY_ID, c.keyId())
                .set(Checkpoint.ROOT_HASH, c.rootHashBytes())
                .set(Checkpoint.ISSUED_AT, Ts6.parse(c.issuedAt()).atOffset(ZoneOffset.UTC))
                .set(Checkpoint.CHECKPOINT, new String(c.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .set(Checkpoint.SIGNATURE, signed.signature())
                .execute();
    }

    /** The tenant's checkpoint of exactly {@code treeSize} signed by {@code keyId}. */
    public Optional<SignedCheckpoint> atSize(String tenant, long treeSize, String keyId) {
        return one(Checkpoint.TENANT.eq(tenant).and(Checkpoint.TREE_SIZE.eq(treeSize)).and(Checkpoint.KEY_ID.eq(keyId)),
                false);
    }

    /** The tenant's largest checkpoint signed by {@code keyId}. */
    public Optional<SignedCheckpoint> latest(String tenant, String keyId) {
        return one(Checkpoint.TENANT.eq(tenant).and(Checkpoint.KEY_ID.eq(keyId)), true);
    }

    /** The largest checkpoint (any key) with a tree size at most {@code treeSize}. */
    public Optional<SignedCheckpoint> atOrBelow(String tenant, long treeSize) {
        return one(Checkpoint.TENANT.eq(tenant).and(Checkpoint.TREE_SIZE.le(treeSize)), true);
    }

    /** The smallest checkpoint (any key) with a tree size at least {@code treeSize}. */
    public Optional<SignedCheckpoint> atOrAbove(String tenant, long treeSize) {
        return one(Checkpoint.TENANT.eq(tenant).and(Checkpoint.TREE_SIZE.ge(treeSize)), false);
    }

    /**
     * Up to {@link #EARLIER_MAX} checkpoints signed by {@code keyId} with
     * {@code fromExclusive < treeSize < toExclusive}, the most recent ones, in ascending tree size.
     */
    public List<SignedCheckpoint> between(String tenant, String keyId, long fromExclusive, long toExclusive) {
        List<SignedCheckpoint> out = new ArrayList<>(dsl.select(Checkpoint.CHECKPOINT, Checkpoint.SIGNATURE)
                .from(Checkpoint.T)
                .where(Checkpoint.TENANT.eq(tenant), Checkpoint.KEY_ID.eq(keyId),
                        Checkpoint.TREE_SIZE.gt(fromExclusive), Checkpoint.TREE_SIZE.lt(toExclusive))
                .orderBy(Checkpoint.TREE_SIZE.desc())
                .limit(EARLIER_MAX)
                .fetch(CheckpointStore::parse));
        Collections.reverse(out);
        return out;
    }

    /** Records a signing key the first time it is used; later calls change nothing. */
    public void registerKey(String keyId, String publicKeyBase64, OffsetDateTime now) {
        dsl.insertInto(Key.T)
                .set(Key.KEY_ID, keyId)
                .set(Key.PUBLIC_KEY, publicKeyBase64)
                .set(Key.FIRST_USED_AT, now)
                .onConflictDoNothing()
                .execute();
    }

    /** Every known key, newest first. */
    public List<KnownKey> keys() {
        return dsl.select(Key.KEY_ID, Key.PUBLIC_KEY, Key.FIRST_USED_AT)
                .from(Key.T)
                .orderBy(Key.FIRST_USED_AT.desc(), Key.KEY_ID)
                .limit(KEYS_MAX)
                .fetch(org.jooq.Records.mapping(KnownKey::new));
    }

    private Optional<SignedCheckpoint> one(Condition where, boolean largest) {
        return dsl.select(Checkpoint.CHECKPOINT, Checkpoint.SIGNATURE)
                .from(Checkpoint.T)
                .where(where)
                .orderBy(largest ? Checkpoint.TREE_SIZE.desc() : Checkpoint.TREE_SIZE.asc(),
                        Checkpoint.ISSUED_AT.desc())
                .limit(1)
                .fetchOptional(CheckpointStore::parse);
    }

    /** Read back through the strict parser: a stored checkpoint that does not parse is a broken invariant. */
    private static SignedCheckpoint parse(Record2<String, String> r) {
        try {
            return new SignedCheckpoint(ledger.audit.checkpoint.Checkpoint.fromJson(Json.mapper().readTree(r.value1())),
                    r.value2());
        } catch (JsonProcessingException | CheckpointFormatException e) {
            throw new IllegalStateException("stored checkpoint is not a checkpoint: " + e.getMessage(), e);
        }
    }
}
