-- The order-summary projection (rebuilt by replay from the event store).
CREATE TABLE order_summary (
    order_id         UUID           PRIMARY KEY,
    customer_id      UUID           NOT NULL,
    status           VARCHAR(32)    NOT NULL,
    failure_reason   VARCHAR(32),
    lines            JSONB          NOT NULL,
    total_amount     NUMERIC(19, 4) NOT NULL,
    currency         VARCHAR(3)     NOT NULL,
    delivery_address JSONB,
    address_version  BIGINT,
    history          JSONB          NOT NULL,
    version          BIGINT         NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX order_summary_customer_idx ON order_summary (customer_id, updated_at);
