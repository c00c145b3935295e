-- Cross-currency settlements (docs/settlement.md).
--
-- The saga's own state needs no new table: Axon's JDBC saga store keeps it in saga_entry and
-- association_value_entry (V1), its deadlines are db-scheduler tasks in scheduled_tasks (V1), and
-- the settlement's history is the events of its Settlement aggregate in domain_event_entry.
--
-- The settlement view below is written from those events in the transaction that appends them
-- (a subscribing event handler), so a read right after a step shows it. Its writes are idempotent
-- (insert-or-ignore, updates to the same values), so replaying the events is safe.

CREATE TABLE settlement_view (
    tenant               VARCHAR(64)  NOT NULL,
    settlement_id        VARCHAR(128) NOT NULL,
    status               VARCHAR(16)  NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'COMPENSATED', 'FAILED')),
    source_account       VARCHAR(128) NOT NULL,
    destination_account  VARCHAR(128) NOT NULL,
    source_currency      VARCHAR(16)  NOT NULL,
    destination_currency VARCHAR(16)  NOT NULL,
    source_amount        VARCHAR(40)  NOT NULL,
    destination_amount   VARCHAR(40)  NOT NULL,
    value_at_mid         VARCHAR(40)  NOT NULL,
    spread_revenue       VARCHAR(40)  NOT NULL,
    rounding             VARCHAR(40)  NOT NULL,
    rounding_rule        VARCHAR(32)  NOT NULL,
    exact_value          VARCHAR(80)  NOT NULL,
    rounding_difference  VARCHAR(80)  NOT NULL,
    quote_id             VARCHAR(64)  NOT NULL,
    quote_provider       VARCHAR(128) NOT NULL,
    quote_rate           VARCHAR(40)  NOT NULL,
    quote_bid            VARCHAR(40)  NOT NULL,
    quote_ask            VARCHAR(40)  NOT NULL,
    quote_mid            VARCHAR(40)  NOT NULL,
    quote_obtained_at    TIMESTAMPTZ  NOT NULL,
    quote_expires_at     TIMESTAMPTZ  NOT NULL,
    deadline             TIMESTAMPTZ  NOT NULL,
    reason_code          VARCHAR(64),
    reason_detail        TEXT,
    created_at           TIMESTAMPTZ  NOT NULL,
    updated_at           TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant, settlement_id)
);

-- GET /v1/settlements?status=&cursor= walks a tenant's settlements by id, optionally of one status.
CREATE INDEX settlement_view_status ON settlement_view (tenant, status, settlement_id);

CREATE TABLE settlement_step (
    tenant        VARCHAR(64)  NOT NULL,
    settlement_id VARCHAR(128) NOT NULL,
    seq           BIGINT       NOT NULL, -- the event's sequence number in its Settlement: the steps' order
    step          VARCHAR(32)  NOT NULL,
    transfer_id   VARCHAR(128),
    at            TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant, settlement_id, step)
);
