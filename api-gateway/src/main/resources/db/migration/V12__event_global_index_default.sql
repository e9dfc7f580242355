-- Axon's JDBC storage engine (ADR 0014) inserts events without a global index: the database hands it out from the
-- same sequence, one number per event, as the JPA engine did (ADR 0001).
ALTER TABLE domain_event_entry ALTER COLUMN global_index SET DEFAULT nextval('domain_event_entry_seq');
ALTER SEQUENCE domain_event_entry_seq OWNED BY domain_event_entry.global_index;
