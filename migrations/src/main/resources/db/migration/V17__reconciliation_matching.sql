-- Continuous matching (docs/reconciliation.md, "Continuous matching").
--
-- recon_item gains the matcher's state of each item, written by the tracking processor
-- "reconciliation-matcher" in the transaction that stores its token (so the state and the events it
-- has read move together): NULL status means the matcher has not taken the item yet. Ledger postings on
-- reconciled accounts become items (side LEDGER) there too. recon_outcome is each match or break as its
-- ReconciliationOutcomeRecorded events say, written in the transaction of each event.

ALTER TABLE recon_item
    ADD COLUMN status     VARCHAR(16) CHECK (status IN ('WAITING', 'MATCHED', 'BREAK')),
    ADD COLUMN outcome_id VARCHAR(64),
    ADD COLUMN kind       VARCHAR(16),
    ADD COLUMN reason     VARCHAR(48),
    ADD COLUMN level      VARCHAR(2),
    ADD COLUMN fixes      TEXT,          -- the L1 fixes of this item, JSON
    ADD COLUMN closed     BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN transfer_id VARCHAR(128), -- a LEDGER item's transfer
    ADD COLUMN ledger_account VARCHAR(128);

-- the matcher's state is rebuilt from the open items at start
CREATE INDEX recon_item_open ON recon_item (tenant) WHERE status IS NOT NULL AND NOT closed;
CREATE INDEX recon_item_transfer ON recon_item (tenant, transfer_id) WHERE transfer_id IS NOT NULL;
CREATE INDEX recon_item_outcome ON recon_item (tenant, outcome_id);

CREATE TABLE recon_outcome (
    tenant      VARCHAR(64)  NOT NULL,
    outcome_id  VARCHAR(64)  NOT NULL,
    matcher_id  VARCHAR(700) NOT NULL,
    status      VARCHAR(16)  NOT NULL CHECK (status IN ('MATCHED', 'BREAK', 'DISSOLVED')),
    kind        VARCHAR(16),
    reason      VARCHAR(48),
    level       VARCHAR(2),
    detail      TEXT,
    items       TEXT         NOT NULL, -- JSON array of SIDE:id
    fixes       TEXT         NOT NULL, -- JSON array of normalisations
    seq         BIGINT       NOT NULL, -- the event's sequence number: an older event never overwrites a newer one
    resolution  VARCHAR(16)  CHECK (resolution IN ('accept', 'adjust', 'write_off')),
    note        TEXT,
    resolution_transfer_id VARCHAR(128),
    resolved_at TIMESTAMPTZ,
    opened_at   TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant, outcome_id)
);

-- GET /v1/reconciliation/breaks?level=&status=&cursor= walks a tenant's breaks by id
CREATE INDEX recon_outcome_breaks ON recon_outcome (tenant, level, outcome_id) WHERE status = 'BREAK';
