-- Rebuild without downtime (ADR 0010). Every row of a replayable projection belongs to a generation. Reads use the
-- served generation; the processor writes the building one. Outside a rebuild both are the same. A replay writes
-- generation served + 1 while reads keep the old one, and the switch happens once the replay has caught up.
CREATE TABLE projection_generation (
    projection         VARCHAR(64) PRIMARY KEY,
    served             INT         NOT NULL,
    building           INT         NOT NULL,
    rebuild_started_at TIMESTAMP WITH TIME ZONE,
    switched_at        TIMESTAMP WITH TIME ZONE,
    CHECK (building IN (served, served + 1))
);

INSERT INTO projection_generation (projection, served, building)
VALUES ('order-summary', 0, 0), ('customer-profile', 0, 0), ('analytics', 0, 0);

ALTER TABLE order_summary ADD COLUMN generation INT NOT NULL DEFAULT 0;
ALTER TABLE order_summary DROP CONSTRAINT order_summary_pkey;
ALTER TABLE order_summary ADD PRIMARY KEY (generation, order_id);
DROP INDEX order_summary_customer_idx;
CREATE INDEX order_summary_customer_idx ON order_summary (generation, customer_id, accepted_at DESC, order_id);

ALTER TABLE customer_profile ADD COLUMN generation INT NOT NULL DEFAULT 0;
ALTER TABLE customer_profile DROP CONSTRAINT customer_profile_pkey;
ALTER TABLE customer_profile ADD PRIMARY KEY (generation, customer_id);
