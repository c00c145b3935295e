-- Account metadata and changeable overdraft limits (issue 14, item 2; docs/listing.md). An account's
-- metadata (set at opening, replaced by PATCH /v1/accounts/{id}: event ledger.AccountUpdated) and its current
-- overdraft limit live in its ledger_account row, updated in the command's own transaction beside the
-- account line of the change (type 'updated', the account's next version).
ALTER TABLE ledger_account ADD COLUMN metadata JSONB NOT NULL DEFAULT '{}'::jsonb;
-- GET /v1/accounts?metadata.<key>=<value>: containment (metadata @> '{"key":"value"}')
CREATE INDEX ledger_account_metadata ON ledger_account USING GIN (metadata jsonb_path_ops);
