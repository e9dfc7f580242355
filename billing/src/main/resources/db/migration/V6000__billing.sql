-- The billing context (module billing, band V6000 to V6999; docs/billing.md).

-- One row per customer: the newest billing-address version billing has seen. Its row lock orders the question
-- "is the order's version here yet" against the arrival of a version (BillingAddresses).
create table billing_address (
    customer_id uuid primary key,
    version     bigint      not null,
    updated_at  timestamptz not null
);

-- Every billing-address version billing has seen: an invoice is addressed with the order's own version.
create table billing_address_version (
    customer_id uuid        not null,
    version     bigint      not null,
    street      text        not null,
    city        text        not null,
    postal_code text        not null,
    country     text        not null,
    received_at timestamptz not null,
    primary key (customer_id, version)
);

-- The orders billing knows, from their acceptance on, and where each stands with billing.
create table billing_order (
    order_id        uuid        primary key,
    customer_id     uuid        not null,
    address_version bigint,
    -- The delivery address an order without a profile version carried: its billing address if billing knows none.
    delivery_street      text,
    delivery_city        text,
    delivery_postal_code text,
    delivery_country     text,
    lines           jsonb       not null,
    total           numeric     not null,
    currency        text        not null,
    state           text        not null check (state in ('NOT_DUE', 'AWAITING_BILLING_ADDRESS', 'INVOICED',
                                                          'CREDITED', 'NOT_INVOICED')),
    updated_at      timestamptz not null
);
create index billing_order_awaiting on billing_order (customer_id) where state = 'AWAITING_BILLING_ADDRESS';

-- The last number given per series and year. Taking a number updates this row, which stays locked until the
-- document's transaction ends: a rolled-back document gives its number back, so numbers have no gaps.
create table billing_number_series (
    series      text not null,
    year        int  not null,
    last_number int  not null,
    primary key (series, year)
);

-- Every document issued. Never updated or deleted: a credit note reverses an invoice.
create table billing_document (
    number          text        primary key,
    series          text        not null,
    year            int         not null,
    sequence        int         not null,
    kind            text        not null check (kind in ('INVOICE', 'CREDIT_NOTE')),
    order_id        uuid        not null,
    customer_id     uuid        not null,
    issued_at       timestamptz not null,
    street          text        not null,
    city            text        not null,
    postal_code     text        not null,
    country         text        not null,
    address_version bigint,
    lines           jsonb       not null,
    total           numeric     not null,
    currency        text        not null,
    refers_to       text references billing_document (number),
    reason          text,
    unique (series, year, sequence),
    unique (order_id, kind)
);
