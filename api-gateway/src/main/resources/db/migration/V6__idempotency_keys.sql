-- Idempotency-Key of POST /api/orders: the first request with a key claims it (and the order id it will create);
-- a repeat with the same body gets the stored answer, a repeat with another body is refused.
CREATE TABLE idempotency_key (
    idempotency_key VARCHAR(200)             PRIMARY KEY,
    request_hash    VARCHAR(64)              NOT NULL,
    order_id        UUID                     NOT NULL,
    response_body   TEXT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at    TIMESTAMP WITH TIME ZONE
);
