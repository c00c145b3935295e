-- Write path v2: a transfer is one event of its Transfer aggregate (the accounts it moves are named
-- in it), and everything that must follow a write is written in the write's own transaction: the
-- accounts' states, the tenant's audit-log positions and Merkle nodes. The asynchronous read models
-- of V2 and their processors' tokens go away.

-- Event model 1 kept postings as events of the Account aggregates; model 2 cannot read them.
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM domain_event_entry
               WHERE payload_type IN ('ledger.domain.event.AccountEvents$AccountPosted',
                                      'ledger.domain.event.AccountEvents$AmountReserved',
                                      'ledger.domain.event.AccountEvents$ReservationPosted',
                                      'ledger.domain.event.AccountEvents$ReservationReleased')) THEN
        RAISE EXCEPTION 'this database holds ledger events of event model 1 (postings as account events); '
            'write path v2 reads model 2 only. Export each tenant''s audit log (it stays verifiable) and '
            'start this version on a new database';
    END IF;
END
$$;

DROP TABLE account_balance;
DROP TABLE account_entry;
DROP TABLE transfer_view;
DELETE FROM token_entry WHERE processor_name IN ('balances', 'transfers', 'audit-log');

-- What does not change after an account is opened.
CREATE TABLE ledger_account (
    tenant          VARCHAR(63)  NOT NULL,
    account_id      VARCHAR(128) NOT NULL,
    currency        VARCHAR(12)  NOT NULL,
    scale           SMALLINT     NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    overdraft_limit VARCHAR(40)  NOT NULL,
    opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, account_id)
);
CREATE INDEX ledger_account_currency ON ledger_account (tenant, currency, account_id);

-- Every state an account has had, one line per change (seq 0: opened), with the totals and the
-- status right after it. The last line is the account's current state; seq is its version, so two
-- writers of one version (two nodes) cannot both commit. Statements are the lines that move money;
-- a balance as of an instant is the last line at or before it. Appended only.
CREATE TABLE account_line (
    tenant          VARCHAR(63)  NOT NULL,
    account_id      VARCHAR(128) NOT NULL,
    seq             BIGINT       NOT NULL CHECK (seq >= 0),
    type            VARCHAR(16)  NOT NULL,
    transfer_id     VARCHAR(128),
    side            VARCHAR(6),
    amount          BIGINT       NOT NULL CHECK (amount >= 0),
    debits_posted   BIGINT       NOT NULL,
    credits_posted  BIGINT       NOT NULL,
    debits_pending  BIGINT       NOT NULL,
    credits_pending BIGINT       NOT NULL,
    status          VARCHAR(8)   NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, account_id, seq)
);
CREATE INDEX account_line_as_of ON account_line (tenant, account_id, occurred_at, seq);

CREATE TRIGGER account_line_no_update_delete
    BEFORE UPDATE OR DELETE ON account_line
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER account_line_no_truncate
    BEFORE TRUNCATE ON account_line
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- The size of each tenant's audit log. A transaction that appends to the log updates it first, so
-- appends of one tenant are serialised in commit order across every node on this database.
CREATE TABLE audit_head (
    tenant VARCHAR(63) NOT NULL,
    size   BIGINT      NOT NULL CHECK (size >= 0),
    PRIMARY KEY (tenant)
);
INSERT INTO audit_head (tenant, size) SELECT tenant, max(position) + 1 FROM audit_log GROUP BY tenant;

-- As V4 does for the other history tables: a role that is not a superuser cannot rewrite lines.
DO
$$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON account_line FROM %I', current_user);
    END IF;
END
$$;
