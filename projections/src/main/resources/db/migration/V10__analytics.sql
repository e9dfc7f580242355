-- Analytics, built from the order and fulfillment topics on Kafka (replayed from Kafka offsets). One row per order
-- and generation; every handler sets the columns of its own fact, so a redelivered record changes nothing and the
-- facts of one order may arrive in any order across the two topics.
CREATE TABLE analytics_order (
    generation     INT            NOT NULL,
    order_id       UUID           NOT NULL,
    currency       VARCHAR(3),
    total_amount   NUMERIC(19, 4),
    accepted_at    TIMESTAMP WITH TIME ZONE,
    shipped_at     TIMESTAMP WITH TIME ZONE,
    completed_at   TIMESTAMP WITH TIME ZONE,
    failed_at      TIMESTAMP WITH TIME ZONE,
    failure_reason VARCHAR(32),
    cancelled_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (generation, order_id)
);
