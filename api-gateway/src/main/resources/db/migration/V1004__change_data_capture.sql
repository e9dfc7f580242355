-- Change data capture for Kafka Connect (ADR 0026, docs/kafka-connect.md).
--
-- One publication, read by the Debezium PostgreSQL source connector (connectors/orderflow-cdc-source.json) through
-- logical decoding (pgoutput): the stock levels and the catalogue as they change, and the order aggregate's events as
-- they are appended. The row filter keeps every other aggregate's events (customers: names, emails, addresses) inside
-- the database. Created here, by the schema's owner, so that the connector needs no right to create publications.
create publication orderflow_cdc
    for table inventory_item, catalogue_item, domain_event_entry where (type = 'Order');

-- A row filter on a table that is published for updates and deletes must use only replica-identity columns. The
-- event store is append-only (nothing updates or deletes its rows), so a full replica identity costs no WAL; it
-- only makes the filter on "type" legal.
alter table domain_event_entry replica identity full;

-- The reporting copy that the JDBC sink connector (connectors/orderflow-reporting-sink.json) writes: every order
-- event once, keyed by its position in the store. In the default run it lives beside the application's tables; a
-- real reporting database is another connection.url in the sink's file. The sink writes the store's columns and
-- leaves copied_at to its default; the view beside the table shows each event as JSON, for queries.
create schema if not exists reporting;

create table reporting.order_fact (
    global_index         bigint       primary key,
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255),
    event_identifier     varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    time_stamp           varchar(255) not null,
    copied_at            timestamptz  not null default now(),
    constraint order_fact_event_identifier_uq unique (event_identifier)
);

create index order_fact_order_idx on reporting.order_fact (aggregate_identifier, sequence_number);

create view reporting.order_fact_json as
    select global_index, aggregate_identifier as order_id, sequence_number, payload_type, payload_revision,
           time_stamp, convert_from(payload, 'UTF8')::jsonb as fact, copied_at
    from reporting.order_fact;
