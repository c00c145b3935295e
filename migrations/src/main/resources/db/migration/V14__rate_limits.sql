-- Issue 14, item 8: token-bucket rate limits per API key and per tenant, with plans as data.
-- A plan is a bucket: capacity tokens, refilled by refill_tokens every refill_period_ms (one request
-- takes one token). Every change of a plan, and every change of which plans a tenant has, takes a
-- new number from one sequence; a bucket's configuration version is the larger of its plan's and its
-- tenant's number, so a stored bucket takes the new configuration the next time it is used
-- (Bucket4j's implicit configuration replacement).
CREATE SEQUENCE rate_plan_version;

CREATE TABLE rate_plan (
    name             VARCHAR(63)              NOT NULL,
    capacity         BIGINT                   NOT NULL CHECK (capacity BETWEEN 1 AND 1000000000),
    refill_tokens    BIGINT                   NOT NULL CHECK (refill_tokens BETWEEN 1 AND 1000000000),
    refill_period_ms BIGINT                   NOT NULL CHECK (refill_period_ms BETWEEN 1 AND 86400000),
    version          BIGINT                   NOT NULL CHECK (version >= 1),
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (name)
);

-- The defaults are far above what one node serves (docs/performance.md), so they never limit the
-- benchmark; an operator gives a tenant a real plan with PUT /v1/tenants/{id}/rate-limits.
INSERT INTO rate_plan (name, capacity, refill_tokens, refill_period_ms, version, updated_at)
VALUES ('default-tenant', 1000000, 1000000, 1000, nextval('rate_plan_version'), now()),
       ('default-key', 1000000, 1000000, 1000, nextval('rate_plan_version'), now());

-- Which plan limits the tenant as a whole, and which limits each of its keys.
ALTER TABLE tenant
    ADD COLUMN tenant_plan VARCHAR(63) NOT NULL DEFAULT 'default-tenant' REFERENCES rate_plan (name),
    ADD COLUMN key_plan    VARCHAR(63) NOT NULL DEFAULT 'default-key' REFERENCES rate_plan (name),
    ADD COLUMN plans_version BIGINT NOT NULL DEFAULT 0;

-- Bucket4j's state of each bucket ("t:<tenant>", "k:<key id>"), shared by every node; written only
-- when a node reserves a chunk of tokens, never once per request.
CREATE TABLE rate_limit_bucket (
    id    VARCHAR(128) NOT NULL,
    state BYTEA,
    PRIMARY KEY (id)
);
