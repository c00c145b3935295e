-- Read models, written by Axon event handlers (idempotently: replays are safe) and read with jOOQ.
-- Amounts are whole minor units (BIGINT) with the currency's scale beside them: never floating point.

CREATE TABLE account_balance (
    tenant          VARCHAR(63)  NOT NULL,
    account_id      VARCHAR(128) NOT NULL,
    currency        VARCHAR(12)  NOT NULL,
    scale           SMALLINT     NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    overdraft_limit VARCHAR(40)  NOT NULL,
    status          VARCHAR(8)   NOT NULL,
    debits_posted   BIGINT       NOT NULL,
    credits_posted  BIGINT       NOT NULL,
    debits_pending  BIGINT       NOT NULL,
    credits_pending BIGINT       NOT NULL,
    last_seq        BIGINT       NOT NULL,
    opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, account_id)
);
CREATE INDEX account_balance_currency ON account_balance (tenant, currency, account_id);

-- One line per balance-changing event of an account, with the balances right after it:
-- statements page through it, and a balance as of an instant is one indexed lookup.
CREATE TABLE account_entry (
    tenant          VARCHAR(63)  NOT NULL,
    account_id      VARCHAR(128) NOT NULL,
    seq             BIGINT       NOT NULL,
    transfer_id     VARCHAR(128) NOT NULL,
    entry_type      VARCHAR(20)  NOT NULL,
    side            VARCHAR(6)   NOT NULL,
    amount          BIGINT       NOT NULL,
    debits_posted   BIGINT       NOT NULL,
    credits_posted  BIGINT       NOT NULL,
    debits_pending  BIGINT       NOT NULL,
    credits_pending BIGINT       NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, account_id, seq)
);
CREATE INDEX account_entry_as_of ON account_entry (tenant, account_id, occurred_at, seq);

CREATE TABLE transfer_view (
    tenant        VARCHAR(63)  NOT NULL,
    transfer_id   VARCHAR(128) NOT NULL,
    kind          VARCHAR(8)   NOT NULL,
    status        VARCHAR(8)   NOT NULL,
    legs          TEXT         NOT NULL,
    metadata      TEXT         NOT NULL,
    posted_amount VARCHAR(40),
    expires_at    TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seq      BIGINT       NOT NULL,
    PRIMARY KEY (tenant, transfer_id)
);
