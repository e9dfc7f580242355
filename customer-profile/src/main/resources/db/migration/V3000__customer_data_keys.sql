-- Crypto-shredding (docs/adr/0032-personal-data-encrypted-per-customer-and-erased-with-its-key.md).
--
-- One AES-256 data key per customer, wrapped (AES-GCM) under the master key from configuration; a customer's names,
-- e-mail addresses and streets are encrypted with it wherever the system keeps or sends them. Erasing a customer
-- deletes the row: their data can never be read again.
create table customer_data_key (
    customer_id uuid        primary key,
    wrapped_key bytea       not null,
    created_at  timestamptz not null default now()
);

-- Who was erased, when and at whose request: the proof of an erasure, and what stops a new key being made for them.
create table customer_erasure (
    customer_id  uuid        primary key,
    erased_at    timestamptz not null default now(),
    requested_by text        not null
);
