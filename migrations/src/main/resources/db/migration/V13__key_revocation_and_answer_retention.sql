-- Issue 14, item 7. API keys can be revoked: the row stays (its id is the audit actor of what was
-- done with it, so it must stay resolvable) and is marked; a revoked key never authenticates again.
-- Idempotency answers expire after a retention (a scheduled job deletes them by age, hence the
-- index); transfer and account ids stay unique forever because the event store enforces them, not
-- these rows.
ALTER TABLE api_key
    ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN revoked_by VARCHAR(32);

CREATE INDEX idempotency_record_created_at ON idempotency_record (created_at);
