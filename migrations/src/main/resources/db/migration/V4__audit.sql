-- The provable history of AUDIT-CHAIN.md: per-tenant audit log (dense positions), the RFC 6962
-- Merkle tree over it (perfect-subtree nodes, stored as they complete), signed checkpoints and
-- the public keys that signed them. Everything here is appended once and never changed.

-- Position p of a tenant's log is the p-th event of that tenant the audit-log processor committed
-- (event-store global order, gaps resolved by Axon's gap-aware token). hash = D[p], 32 raw bytes.
CREATE TABLE audit_log (
    tenant       VARCHAR(63)  NOT NULL,
    position     BIGINT       NOT NULL CHECK (position >= 0),
    global_index BIGINT       NOT NULL,
    event_id     VARCHAR(255) NOT NULL,
    hash         BYTEA        NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (tenant, position),
    UNIQUE (event_id)
);

-- Node (level, idx) is MTH(D[idx * 2^level : (idx + 1) * 2^level]), written once the subtree is
-- complete: level 0 holds the leaf hashes SHA-256(0x00 || D[i]). Any root or proof of any tree
-- size is then O(log n) node lookups instead of O(n) leaf reads.
CREATE TABLE audit_merkle_node (
    tenant VARCHAR(63) NOT NULL,
    level  SMALLINT    NOT NULL CHECK (level >= 0 AND level < 63),
    idx    BIGINT      NOT NULL CHECK (idx >= 0),
    hash   BYTEA       NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (tenant, level, idx)
);

-- Signed checkpoints (AUDIT-CHAIN.md section 3). checkpoint is JCS(checkpoint), exactly the bytes
-- that were signed; the other columns repeat its members for queries. One per size and key.
CREATE TABLE audit_checkpoint (
    tenant     VARCHAR(63)              NOT NULL,
    tree_size  BIGINT                   NOT NULL CHECK (tree_size >= 0),
    key_id     VARCHAR(16)              NOT NULL,
    root_hash  BYTEA                    NOT NULL CHECK (octet_length(root_hash) = 32),
    issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    checkpoint TEXT                     NOT NULL,
    signature  VARCHAR(88)              NOT NULL,
    PRIMARY KEY (tenant, tree_size, key_id)
);

-- Every Ed25519 key that has signed checkpoints here: auditors need the old ones after a rotation.
CREATE TABLE audit_key (
    key_id        VARCHAR(16)              NOT NULL,
    public_key    VARCHAR(44)              NOT NULL,
    first_used_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (key_id),
    UNIQUE (public_key)
);

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_merkle_node_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_merkle_node
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_merkle_node_no_truncate
    BEFORE TRUNCATE ON audit_merkle_node
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_checkpoint_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_key_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_key
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_key_no_truncate
    BEFORE TRUNCATE ON audit_key
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- Defence in depth beside the triggers: the role the ledger connects with loses UPDATE, DELETE and
-- TRUNCATE on history, so even dropping into SQL with its credentials cannot rewrite it. A
-- superuser bypasses privileges (and could disable triggers), so for one this is a no-op: run the
-- ledger as an ordinary role that owns nothing else to get the protection.
DO
$$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON domain_event_entry, audit_log, audit_merkle_node, '
                           || 'audit_checkpoint, audit_key FROM %I', current_user);
    END IF;
END
$$;
