-- The transfer index in one row per transfer (issue 10, "Write path v2"; docs/listing.md, performance.md).
-- V11 wrote per two-leg transfer three rows (transfer_index and two transfer_index_account rows) and six
-- index entries plus a GIN entry, in the write's own statement: the largest cost PostgreSQL had per
-- transfer. Now a transfer is one row with the first two distinct accounts it moves as columns, and
-- costs three b-tree entries: its key, which is also the listing's order, and one per account.
--
-- - key (tenant, created_at, transfer_id): a tenant's transfers in cursor order. The old key
--   (tenant, transfer_id) was read only to end a pending transfer; that update now finds the row's
--   creation time in the event store (the pending transfer's first event, TransactionWrites).
-- - account_a, account_b, each with an index (tenant, account, created_at, transfer_id): an account's
--   transfers in cursor order, the list being the merge of the two (and of transfer_index_account).
-- - transfer_index_account keeps only the accounts beyond the first two (entries of more legs).
-- - status: indexed only where it is not POSTED (the holds and their ends; the queries say so); a
--   list of POSTED transfers reads the key in order and skips the rest.
-- - metadata: NULL when the transfer has none, and the GIN index holds only those that have some
--   (an empty object still took a GIN entry).
-- - kind and reversal_of were never read (a listed transfer is read from its events): gone.

CREATE TABLE transfer_index_v20 (
    tenant      VARCHAR(63)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    transfer_id VARCHAR(128) NOT NULL,
    status      VARCHAR(8)   NOT NULL,
    account_a   VARCHAR(128),
    account_b   VARCHAR(128),
    metadata    JSONB CHECK (metadata <> '{}'::jsonb)
);

-- A transfer's accounts in id order (V11 kept no leg order); the first two go into the row.
CREATE TEMPORARY TABLE transfer_accounts_v20 ON COMMIT DROP AS
SELECT tenant, transfer_id, created_at, account_id,
       row_number() OVER (PARTITION BY tenant, transfer_id ORDER BY account_id) AS n
FROM transfer_index_account;

INSERT INTO transfer_index_v20 (tenant, created_at, transfer_id, status, account_a, account_b, metadata)
SELECT t.tenant, t.created_at, t.transfer_id, t.status, a.account_id, b.account_id,
       nullif(t.metadata, '{}'::jsonb)
FROM transfer_index t
LEFT JOIN transfer_accounts_v20 a ON a.tenant = t.tenant AND a.transfer_id = t.transfer_id AND a.n = 1
LEFT JOIN transfer_accounts_v20 b ON b.tenant = t.tenant AND b.transfer_id = t.transfer_id AND b.n = 2;

CREATE TABLE transfer_index_account_v20 (
    tenant      VARCHAR(63)  NOT NULL,
    account_id  VARCHAR(128) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    transfer_id VARCHAR(128) NOT NULL
);
INSERT INTO transfer_index_account_v20 (tenant, account_id, created_at, transfer_id)
SELECT tenant, account_id, created_at, transfer_id FROM transfer_accounts_v20 WHERE n > 2;

DROP TABLE transfer_index;
DROP TABLE transfer_index_account;
ALTER TABLE transfer_index_v20 RENAME TO transfer_index;
ALTER TABLE transfer_index_account_v20 RENAME TO transfer_index_account;

ALTER TABLE transfer_index ADD CONSTRAINT transfer_index_pkey PRIMARY KEY (tenant, created_at, transfer_id);
CREATE INDEX transfer_index_account_a ON transfer_index (tenant, account_a, created_at, transfer_id)
    WHERE account_a IS NOT NULL;
CREATE INDEX transfer_index_account_b ON transfer_index (tenant, account_b, created_at, transfer_id)
    WHERE account_b IS NOT NULL;
CREATE INDEX transfer_index_status ON transfer_index (tenant, status, created_at, transfer_id)
    WHERE status <> 'POSTED';
CREATE INDEX transfer_index_metadata ON transfer_index USING GIN (metadata jsonb_path_ops)
    WHERE metadata IS NOT NULL;
ALTER TABLE transfer_index_account
    ADD CONSTRAINT transfer_index_account_pkey PRIMARY KEY (tenant, account_id, created_at, transfer_id);
