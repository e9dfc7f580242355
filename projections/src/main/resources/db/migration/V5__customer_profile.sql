-- The customer-profile projection (rebuilt by replay from the event store).
CREATE TABLE customer_profile (
    customer_id      UUID         PRIMARY KEY,
    name             VARCHAR(200) NOT NULL,
    email            VARCHAR(254) NOT NULL,
    shipping_address JSONB        NOT NULL,
    billing_address  JSONB        NOT NULL,
    version          BIGINT       NOT NULL
);
