-- What the operator asked of each event processor, for every instance (ADR 0035). An instance follows this table:
-- a processor paused here is paused on every instance, including one started later, until it is resumed. A
-- processor without a row runs.
CREATE TABLE processor_control (
    processor_name VARCHAR(255) PRIMARY KEY,
    paused         BOOLEAN      NOT NULL,
    -- the instance (ORDERFLOW_INSTANCE_ID) through which the operator asked, and when
    changed_by     VARCHAR(255) NOT NULL,
    changed_at     TIMESTAMPTZ  NOT NULL
);
