-- Retries by id (issue 14, item 5; docs/retries.md): a request that creates a transfer under an id that
-- exists is answered as that transfer when its content is the same (existed) and refused with
-- transfer_id_conflict naming the differing fields when not. Both answers are stored under the request's
-- idempotency key like any other, and a replay must say the same: so the answer keeps these two marks.
ALTER TABLE idempotency_record
    ADD COLUMN existed        BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN refusal_fields TEXT;
