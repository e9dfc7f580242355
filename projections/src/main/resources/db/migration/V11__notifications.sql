-- Notifications sent (or waiting for their recipient), one per event they answer: the event id is the key, written
-- in the same transaction as the notification processor's token, so a redelivered event sends nothing (ADR 0011).
CREATE TABLE notification (
    event_id    VARCHAR(64)  PRIMARY KEY,
    order_id    UUID         NOT NULL,
    customer_id UUID         NOT NULL,
    type        VARCHAR(32)  NOT NULL,
    status      VARCHAR(32)  NOT NULL,
    recipient   VARCHAR(254),
    subject     VARCHAR(300) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at     TIMESTAMP WITH TIME ZONE
);

CREATE INDEX notification_order_idx ON notification (order_id, created_at);
CREATE INDEX notification_pending_idx ON notification (customer_id) WHERE status = 'AWAITING_RECIPIENT';

-- Whom to write to, learnt from the customer events on Kafka.
CREATE TABLE notification_recipient (
    customer_id UUID         PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    email       VARCHAR(254) NOT NULL
);
