-- Runs after every migration run, as the role that ran the migrations (the owner of every table): grants the
-- application's role and Kafka Connect's role what they need, and nothing more. Repeatable; new tables of later
-- migrations are covered by the next run. Each role is named by a placeholder (spring.flyway.placeholders, set by
-- the embedded run or ORDERFLOW_DATABASE_APP_ROLE / ORDERFLOW_DATABASE_CONNECT_ROLE); an empty one grants nothing.
DO $$
DECLARE
    app text := '${app_role}';
    cdc text := '${connect_role}';
BEGIN
    IF app <> '' AND EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN
        -- Rows of its own tables, no DDL: the role owns nothing and may create nothing in the schema.
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app);
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
        -- The event store is append-only for the application: a stored event is never changed or deleted.
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON domain_event_entry FROM %I', app);
        -- The migrations' history belongs to the migrations.
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON flyway_schema_history FROM %I', app);
    END IF;
    IF cdc <> '' AND EXISTS (SELECT FROM pg_roles WHERE rolname = cdc) THEN
        -- The change-data-capture source (Debezium) reads the captured tables through the publication of V1004.
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', cdc);
        EXECUTE format('GRANT SELECT ON inventory_item, catalogue_item, domain_event_entry TO %I', cdc);
        -- The reporting sink writes the order facts.
        EXECUTE format('GRANT USAGE ON SCHEMA reporting TO %I', cdc);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA reporting TO %I', cdc);
    END IF;
END $$;
