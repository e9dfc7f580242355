-- Whose address a shipment went to, so that erasing a customer (docs/adr/0032) erases it here too. Shipments recorded
-- before this column existed get the customer of their order, from the order's acceptance in the event store.
alter table shipment add column customer_id uuid;
create index shipment_customer on shipment (customer_id);

update shipment s set customer_id = (
    select (convert_from(e.payload, 'UTF8')::jsonb ->> 'customerId')::uuid
    from domain_event_entry e
    where e.aggregate_identifier = s.order_id::text
      and e.payload_type = 'io.orderflow.order.api.OrderAcceptedEvent'
    limit 1)
where s.customer_id is null;
