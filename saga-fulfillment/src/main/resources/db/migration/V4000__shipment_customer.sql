-- Whose address a shipment went to, so that erasing a customer (docs/adr/0032) erases it here too. Shipments recorded
-- before this column existed have none: their addresses are not reached by an erasure (the ADR's limits).
alter table shipment add column customer_id uuid;
create index shipment_customer on shipment (customer_id);
