-- Known counterparties per tenant (docs/reconciliation.md, "L3: alerts and the account circuit breaker").
--
-- When a tenant has set its list (PUT /v1/reconciliation/counterparties), an external record whose
-- counterparty is not on it is an L3 break UNKNOWN_COUNTERPARTY (alert and account freeze). No row: no check.
-- Names are kept as given; the matcher compares them without spaces and in upper case (IBANs in groups of four
-- are one IBAN).

CREATE TABLE recon_counterparties (
    tenant     VARCHAR(64)    NOT NULL PRIMARY KEY,
    names      VARCHAR(256)[] NOT NULL,
    updated_at TIMESTAMPTZ    NOT NULL
);
