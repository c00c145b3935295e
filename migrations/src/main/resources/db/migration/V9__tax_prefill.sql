-- Tax pre-fill read model (docs/tax-prefill.md): payroll postings, recognised by their metadata,
-- summed per tenant, payee, period (YYYY-MM) and category. Written by the tracking event processor
-- "tax-prefill" with jOOQ, in the transaction that also moves its token; each event is applied once
-- because its identity is recorded here (a re-delivered event inserts nothing and adds nothing).
-- Amounts are whole minor units (BIGINT) with the currency's scale beside them: never floating point.

-- One row per (event, category) the processor applied, or one row with category '-' and a problem
-- for a posting that names a payee but whose payroll metadata cannot be used.
CREATE TABLE tax_payroll_posting (
    event_id     VARCHAR(255) NOT NULL,
    category     VARCHAR(40)  NOT NULL,
    global_index BIGINT       NOT NULL,
    tenant       VARCHAR(63)  NOT NULL,
    transfer_id  VARCHAR(128) NOT NULL,
    payee        VARCHAR(512) NOT NULL,
    period       CHAR(7),
    currency     VARCHAR(12),
    amount       BIGINT,
    problem      VARCHAR(1000),
    PRIMARY KEY (event_id, category)
);
CREATE INDEX tax_payroll_posting_payee ON tax_payroll_posting (tenant, payee, period);

-- The sums the pre-fill reads: one row per tenant, payee, period, category and currency.
CREATE TABLE tax_payroll_period (
    tenant            VARCHAR(63)  NOT NULL,
    payee             VARCHAR(512) NOT NULL,
    period            CHAR(7)      NOT NULL,
    category          VARCHAR(40)  NOT NULL,
    currency          VARCHAR(12)  NOT NULL,
    scale             SMALLINT     NOT NULL,
    amount            BIGINT       NOT NULL,
    postings          INTEGER      NOT NULL,
    last_global_index BIGINT       NOT NULL,
    PRIMARY KEY (tenant, payee, period, category, currency)
);

-- A payee's static inputs (payroll.input.<name>), as given by the latest posting of a period; a later
-- period's value replaces an earlier one from that period on.
CREATE TABLE tax_payee_input (
    tenant       VARCHAR(63)  NOT NULL,
    payee        VARCHAR(512) NOT NULL,
    period       CHAR(7)      NOT NULL,
    name         VARCHAR(64)  NOT NULL,
    value        VARCHAR(512) NOT NULL,
    global_index BIGINT       NOT NULL,
    transfer_id  VARCHAR(128) NOT NULL,
    PRIMARY KEY (tenant, payee, period, name)
);

-- The payroll metadata of pending transfers, kept until they are posted (then their posted amount is
-- applied with it), voided or expired.
CREATE TABLE tax_payroll_pending (
    tenant       VARCHAR(63)  NOT NULL,
    transfer_id  VARCHAR(128) NOT NULL,
    metadata     TEXT         NOT NULL,
    global_index BIGINT       NOT NULL,
    PRIMARY KEY (tenant, transfer_id)
);
