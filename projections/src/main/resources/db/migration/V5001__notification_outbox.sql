-- Mail is sent after the notification processor's transaction, not inside it (ADR 0011): the transaction records
-- the notification as PENDING; once it has committed, the same thread sends it and marks it SENT. A notification
-- still PENDING at next_attempt_at (the send failed, or the process stopped between commit and send) is sent by
-- the retrier, with attempts counted and the last error kept.
ALTER TABLE notification ADD COLUMN attempts INT NOT NULL DEFAULT 0;
ALTER TABLE notification ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE notification ADD COLUMN last_error VARCHAR(500);
CREATE INDEX notification_outbox_idx ON notification (next_attempt_at) WHERE status = 'PENDING';
