-- The application instances that are alive (ADR 0036): each one renews its row every few seconds, and an instance
-- whose row has not been renewed for the claim timeout is gone. The instances spread each processor's segments
-- evenly over those alive.
CREATE TABLE application_instance (
    -- the name the instance claims segments under (ORDERFLOW_INSTANCE_ID and a suffix of its own)
    owner      VARCHAR(255) PRIMARY KEY,
    name       VARCHAR(64)  NOT NULL,
    started_at TIMESTAMPTZ  NOT NULL,
    seen_at    TIMESTAMPTZ  NOT NULL
);
