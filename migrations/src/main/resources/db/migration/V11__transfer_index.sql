-- Listing and search (issue 14, item 2; docs/listing.md). A transfer's record is its events; to list and
-- search transfers without reading every stream, each transfer gets one row here and one row per account it
-- moves in transfer_index_account, written in the write's own transaction by the statement that writes the
-- account lines (TransactionWrites), so a list read after an acknowledged write shows it. Rows are derived
-- from the events and can be rebuilt from them (as below).
CREATE TABLE transfer_index (
    tenant      VARCHAR(63)  NOT NULL,
    transfer_id VARCHAR(128) NOT NULL,
    kind        VARCHAR(8)   NOT NULL,
    status      VARCHAR(8)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    metadata    JSONB        NOT NULL,
    reversal_of VARCHAR(128),
    PRIMARY KEY (tenant, transfer_id)
);
-- GET /v1/transfers?from=&to= : a tenant's transfers in (created_at, transfer_id) order, the cursor's order
CREATE INDEX transfer_index_created ON transfer_index (tenant, created_at, transfer_id);
-- ?status= (pending holds, mostly): the same order within one status
CREATE INDEX transfer_index_status ON transfer_index (tenant, status, created_at, transfer_id);
-- ?metadata.<key>=<value>: containment (metadata @> '{"key":"value"}')
CREATE INDEX transfer_index_metadata ON transfer_index USING GIN (metadata jsonb_path_ops);

-- ?account= : the transfers that moved an account, in the same order
CREATE TABLE transfer_index_account (
    tenant      VARCHAR(63)  NOT NULL,
    account_id  VARCHAR(128) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    transfer_id VARCHAR(128) NOT NULL,
    PRIMARY KEY (tenant, account_id, created_at, transfer_id)
);

-- GET /v1/accounts?kind= : accounts of one kind in id order (currency has ledger_account_currency)
CREATE INDEX ledger_account_kind ON ledger_account (tenant, kind, account_id);

-- The transfers written before this version, from their events.
WITH created AS (
    SELECT e.payload_type AS type, convert_from(e.payload, 'UTF8')::jsonb AS p,
           (convert_from(e.meta_data, 'UTF8')::jsonb ->> 'occurredAt')::timestamptz AS at
    FROM domain_event_entry e
    WHERE e.payload_type IN ('ledger.domain.event.TransferEvents$TransferPosted',
                             'ledger.domain.event.TransferEvents$TransferPending'))
INSERT INTO transfer_index (tenant, transfer_id, kind, status, created_at, metadata)
SELECT p ->> 'tenant', p ->> 'transferId',
       CASE WHEN type LIKE '%TransferPending' THEN 'transfer' ELSE p ->> 'kind' END,
       CASE WHEN type LIKE '%TransferPending' THEN 'PENDING' ELSE 'POSTED' END,
       at, coalesce(p -> 'metadata', '{}'::jsonb)
FROM created;

UPDATE transfer_index t
SET status = CASE e.payload_type WHEN 'ledger.domain.event.TransferEvents$PendingTransferPosted' THEN 'POSTED'
                                 WHEN 'ledger.domain.event.TransferEvents$PendingTransferVoided' THEN 'VOIDED'
                                 ELSE 'EXPIRED' END
FROM domain_event_entry e
WHERE e.payload_type IN ('ledger.domain.event.TransferEvents$PendingTransferPosted',
                         'ledger.domain.event.TransferEvents$PendingTransferVoided',
                         'ledger.domain.event.TransferEvents$PendingTransferExpired')
  AND t.tenant = convert_from(e.payload, 'UTF8')::jsonb ->> 'tenant'
  AND t.transfer_id = convert_from(e.payload, 'UTF8')::jsonb ->> 'transferId';

INSERT INTO transfer_index_account (tenant, account_id, created_at, transfer_id)
SELECT DISTINCT l.tenant, l.account_id, t.created_at, l.transfer_id
FROM account_line l
JOIN transfer_index t ON t.tenant = l.tenant AND t.transfer_id = l.transfer_id
WHERE l.type IN ('posted', 'reserved');
