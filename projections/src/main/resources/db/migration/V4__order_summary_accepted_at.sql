-- When each order was accepted, for the customer's order list (newest first, stable paging).
ALTER TABLE order_summary ADD COLUMN accepted_at TIMESTAMP WITH TIME ZONE;
UPDATE order_summary SET accepted_at = coalesce((history -> 0 ->> 'at')::timestamptz, updated_at);
ALTER TABLE order_summary ALTER COLUMN accepted_at SET NOT NULL;

DROP INDEX order_summary_customer_idx;
CREATE INDEX order_summary_customer_idx ON order_summary (customer_id, accepted_at DESC, order_id);
