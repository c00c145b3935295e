-- L3 breaks (docs/reconciliation.md, "L3: alerts and the account circuit breaker").
--
-- frozen_account: the ledger account an L3 break froze (resolving the break unfreezes it, when no other
-- open L3 break holds it frozen). recon_webhook: where each tenant's alerts are sent and the secret
-- their HMAC-SHA256 signature is made with. Deliveries are db-scheduler tasks (scheduled_tasks, V1), so
-- retries survive a restart.

ALTER TABLE recon_outcome ADD COLUMN frozen_account VARCHAR(128);

CREATE INDEX recon_outcome_frozen ON recon_outcome (tenant, frozen_account)
    WHERE frozen_account IS NOT NULL AND resolution IS NULL;

CREATE TABLE recon_webhook (
    tenant     VARCHAR(64)   NOT NULL PRIMARY KEY,
    url        VARCHAR(2000) NOT NULL,
    secret     VARCHAR(200)  NOT NULL,
    updated_at TIMESTAMPTZ   NOT NULL
);
