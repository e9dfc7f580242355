-- The operator finds a trace's events by its id (GET /api/admin/traces/{traceId}, /api/admin/events?traceId=).
-- That search parsed the metadata of every stored event; now it is an index lookup. The trace id is taken from
-- the metadata as Axon's Jackson serializer stores it (compact JSON, UTF-8), and only in the form trace ids have,
-- so the function does not fail on any metadata that is text: a failing index expression would refuse the
-- event's append. It is IMMUTABLE because its result depends on its argument alone (the encoding is fixed).
CREATE FUNCTION orderflow_trace_id(meta_data BYTEA) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT substring(convert_from(meta_data, 'UTF8') FROM '"traceId":"([A-Za-z0-9._-]{1,64})"')
$$;

-- Built once over the existing store when this migration runs (seconds per million events).
CREATE INDEX domain_event_entry_trace_id_idx ON domain_event_entry (orderflow_trace_id(meta_data));
