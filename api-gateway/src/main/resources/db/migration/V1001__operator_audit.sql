-- Every operator action (pause, resume and replay of a processor, a dead-letter retry or deletion, a price, a stock
-- level): who, what, when, and how it ended. Appended only; read newest first through GET /api/admin/audit.
CREATE TABLE operator_audit (
    id         BIGSERIAL    PRIMARY KEY,
    at         TIMESTAMPTZ  NOT NULL,
    actor      VARCHAR(200) NOT NULL,
    action     VARCHAR(64)  NOT NULL,
    target     VARCHAR(300) NOT NULL,
    status     INTEGER      NOT NULL,
    outcome    VARCHAR(300) NOT NULL,
    trace_id   VARCHAR(64)
);

CREATE INDEX operator_audit_at ON operator_audit (at DESC);
