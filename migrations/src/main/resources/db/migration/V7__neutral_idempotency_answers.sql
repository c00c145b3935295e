-- Idempotency answers in a form no transport owns (issue "Write path v2", item 4): a refusal is its
-- stable code and detail, a success the JSON view of what the request did. Before, an answer was a
-- REST status and body that gRPC parsed back. Existing answers keep replaying the same: a success
-- body was already the view's JSON; a problem document gives its code and detail.
ALTER TABLE idempotency_record
    ADD COLUMN refusal_code   VARCHAR(64),
    ADD COLUMN refusal_detail TEXT,
    ADD COLUMN result         TEXT;

UPDATE idempotency_record
SET refusal_code   = CASE WHEN status_code >= 400 THEN response_body::jsonb ->> 'code' END,
    refusal_detail = CASE WHEN status_code >= 400 THEN response_body::jsonb ->> 'detail' END,
    result         = CASE WHEN status_code < 400 THEN response_body END;

ALTER TABLE idempotency_record
    DROP COLUMN status_code,
    DROP COLUMN response_body,
    ADD CONSTRAINT idempotency_record_one_answer
        CHECK ((refusal_code IS NULL) <> (result IS NULL) AND (refusal_code IS NOT NULL OR refusal_detail IS NULL));
