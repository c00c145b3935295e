-- The hand-written SQL ledger that --protocol sql measures next to the service: what a competent
-- team would build on the same PostgreSQL instead of an event-sourced service. Installed afresh at
-- the start of every run (the schema is dropped with everything in it), so runs are comparable.
-- Durable commits: nothing here changes synchronous_commit or fsync.

DROP SCHEMA IF EXISTS sql_peer CASCADE;
CREATE SCHEMA sql_peer;

CREATE TABLE sql_peer.accounts (
    id              text PRIMARY KEY,
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    overdraft_limit numeric CHECK (overdraft_limit >= 0),  -- null: unlimited
    balance         numeric NOT NULL DEFAULT 0             -- credits minus debits
);

CREATE TABLE sql_peer.transfers (
    id         text PRIMARY KEY,                            -- the client's idempotency key
    debit      text NOT NULL REFERENCES sql_peer.accounts,
    credit     text NOT NULL REFERENCES sql_peer.accounts,
    amount     numeric NOT NULL CHECK (amount > 0),
    currency   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (debit <> credit)
);

-- Two postings per transfer; indexed by account for statements.
CREATE TABLE sql_peer.entries (
    transfer_id text NOT NULL REFERENCES sql_peer.transfers,
    side        char(1) NOT NULL CHECK (side IN ('D', 'C')),
    account_id  text NOT NULL REFERENCES sql_peer.accounts,
    amount      numeric NOT NULL CHECK (amount > 0),
    PRIMARY KEY (transfer_id, side)
);
CREATE INDEX entries_by_account ON sql_peer.entries (account_id);

-- Posts one transfer; answers 'ok' or why it refused (and then it changed nothing):
-- 'duplicate' (the id is already used), 'invalid_amount', 'same_account', 'account_not_found',
-- 'currency_mismatch', 'insufficient_funds'.
CREATE FUNCTION sql_peer.post_transfer(p_id text, p_debit text, p_credit text, p_amount numeric, p_currency text)
RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
    lower_row  sql_peer.accounts;
    higher_row sql_peer.accounts;
    debit_row  sql_peer.accounts;
    credit_row sql_peer.accounts;
BEGIN
    -- a retry of a committed transfer is a duplicate whatever has happened to its accounts since
    IF EXISTS (SELECT 1 FROM sql_peer.transfers WHERE id = p_id) THEN
        RETURN 'duplicate';
    END IF;
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RETURN 'invalid_amount';
    END IF;
    IF p_debit = p_credit THEN
        RETURN 'same_account';
    END IF;
    -- Both rows locked in id order, so transfers over the same (hot) accounts in opposite
    -- directions queue for each other instead of deadlocking.
    SELECT * INTO lower_row FROM sql_peer.accounts WHERE id = least(p_debit, p_credit) FOR UPDATE;
    SELECT * INTO higher_row FROM sql_peer.accounts WHERE id = greatest(p_debit, p_credit) FOR UPDATE;
    IF lower_row.id IS NULL OR higher_row.id IS NULL THEN
        RETURN 'account_not_found';
    END IF;
    IF lower_row.id = p_debit THEN
        debit_row := lower_row;
        credit_row := higher_row;
    ELSE
        debit_row := higher_row;
        credit_row := lower_row;
    END IF;
    IF debit_row.currency <> p_currency OR credit_row.currency <> p_currency THEN
        RETURN 'currency_mismatch';
    END IF;
    IF debit_row.overdraft_limit IS NOT NULL AND debit_row.balance - p_amount < -debit_row.overdraft_limit THEN
        RETURN 'insufficient_funds';
    END IF;
    -- The primary key settles a race between two calls with the same id: the second waits for the
    -- first to commit and then inserts nothing.
    INSERT INTO sql_peer.transfers (id, debit, credit, amount, currency)
    VALUES (p_id, p_debit, p_credit, p_amount, p_currency)
    ON CONFLICT (id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 'duplicate';
    END IF;
    INSERT INTO sql_peer.entries (transfer_id, side, account_id, amount)
    VALUES (p_id, 'D', p_debit, p_amount), (p_id, 'C', p_credit, p_amount);
    UPDATE sql_peer.accounts SET balance = balance - p_amount WHERE id = p_debit;
    UPDATE sql_peer.accounts SET balance = balance + p_amount WHERE id = p_credit;
    RETURN 'ok';
END
$fn$;
