-- Tenants, API keys (stored as SHA-256 of the secret, never the secret) and idempotency records.

CREATE TABLE tenant (
    id         VARCHAR(63) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE api_key (
    id         VARCHAR(32)  NOT NULL,
    tenant     VARCHAR(63)  NOT NULL REFERENCES tenant (id),
    key_hash   BYTEA        NOT NULL,
    roles      VARCHAR(200) NOT NULL,
    created_by VARCHAR(32),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (key_hash)
);
CREATE INDEX api_key_tenant ON api_key (tenant);

-- The answer given to a money-moving request, kept so a retry with the same key gets the same
-- answer. Written in the same transaction as the events it answers for.
CREATE TABLE idempotency_record (
    tenant          VARCHAR(63)  NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    BYTEA        NOT NULL,
    status_code     INTEGER      NOT NULL,
    response_body   TEXT         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, idempotency_key)
);
