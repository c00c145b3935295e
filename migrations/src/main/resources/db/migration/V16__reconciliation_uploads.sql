-- Reconciliation: uploaded statement files and the external records they hold (docs/reconciliation.md, "Service").
--
-- The history is the events of the StatementUpload aggregate in domain_event_entry; these tables are
-- written from those events in the transaction that appends them (a subscribing event handler), so the
-- answer to an upload and every read after it agree. Writes are idempotent (insert-or-ignore, updates to
-- the same values): replaying the events is safe.

CREATE TABLE recon_upload (
    tenant          VARCHAR(64)  NOT NULL,
    upload_id       VARCHAR(64)  NOT NULL,
    sha256          CHAR(64)     NOT NULL,
    bytes           BIGINT       NOT NULL,
    format          VARCHAR(16)  NOT NULL CHECK (format IN ('camt053', 'camt054', 'mt940', 'csv')),
    detected_format VARCHAR(200) NOT NULL, -- what the parser recognised, e.g. "CAMT_053 urn:iso:...camt.053.001.08"
    mapping         VARCHAR(32),
    ledger_account  VARCHAR(128),
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('INGESTING', 'INGESTED')),
    chunks          INT          NOT NULL DEFAULT 0,
    records         BIGINT       NOT NULL DEFAULT 0,
    statements      INT          NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ  NOT NULL,
    completed_at    TIMESTAMPTZ,
    PRIMARY KEY (tenant, upload_id),
    -- the same file twice is one upload
    UNIQUE (tenant, sha256)
);

CREATE TABLE recon_statement (
    tenant          VARCHAR(64)  NOT NULL,
    upload_id       VARCHAR(64)  NOT NULL,
    seq             INT          NOT NULL,
    statement_id    VARCHAR(256) NOT NULL,
    account         VARCHAR(128),
    ledger_account  VARCHAR(128),
    currency        VARCHAR(16),
    opening_balance NUMERIC,
    opening_date    DATE,
    closing_balance NUMERIC,
    closing_date    DATE,
    entries         BIGINT       NOT NULL,
    PRIMARY KEY (tenant, upload_id, seq)
);

CREATE TABLE recon_item (
    tenant          VARCHAR(64)   NOT NULL,
    side            VARCHAR(16)   NOT NULL CHECK (side IN ('LEDGER', 'PROCESSOR', 'BANK')),
    item_id         VARCHAR(600)  NOT NULL,
    upload_id       VARCHAR(64),
    statement_id    VARCHAR(256),
    reference       VARCHAR(512),
    group_key       VARCHAR(512),
    amount          NUMERIC       NOT NULL,
    currency        VARCHAR(16)   NOT NULL,
    value_date      VARCHAR(40)   NOT NULL,
    account         VARCHAR(128),
    counterparty    VARCHAR(256),
    description     TEXT,
    PRIMARY KEY (tenant, side, item_id)
);

CREATE INDEX recon_item_upload ON recon_item (tenant, upload_id);
