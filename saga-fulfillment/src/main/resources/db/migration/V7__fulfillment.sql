-- The fulfillment context's own state. Inventory is state-stored (ADR 0007): one row per SKU, changed by conditional
-- updates under the row lock, so hot SKUs need no long event stream and can never go below zero.
create table inventory_item (
    sku       varchar(64) primary key,
    available integer     not null check (available >= 0),
    reserved  integer     not null default 0 check (reserved >= 0),
    shipped   integer     not null default 0 check (shipped >= 0)
);

-- One reservation per order: what it holds and where it stands. The row makes every inventory command idempotent.
create table stock_reservation (
    order_id   uuid        primary key,
    state      varchar(16) not null check (state in ('RESERVED', 'REJECTED', 'RELEASED', 'SHIPPED')),
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table stock_reservation_line (
    order_id uuid        not null references stock_reservation (order_id),
    sku      varchar(64) not null,
    quantity integer     not null check (quantity > 0),
    primary key (order_id, sku)
);

-- The outcome of the order's payment as this context recorded it; the provider's ledger is the other side.
create table payment (
    order_id        uuid          primary key,
    idempotency_key varchar(64)   not null,
    state           varchar(16)   not null check (state in ('AUTHORIZED', 'DECLINED', 'VOIDED')),
    amount          numeric(19, 4),
    currency        char(3),
    updated_at      timestamptz   not null
);

create table shipment (
    order_id    uuid         primary key,
    shipment_id uuid         not null,
    state       varchar(16)  not null check (state in ('ARRANGED', 'FAILED', 'CANCELLED')),
    carrier     varchar(64),
    street      varchar(200) not null,
    city        varchar(200) not null,
    postal_code varchar(200) not null,
    country     char(2)      not null,
    reason      varchar(500),
    updated_at  timestamptz  not null
);

-- The local delivery-address projection (from orderflow.customer-events): the newest profile version seen per
-- customer and the shipping address at it. Version -1 with no address is a placeholder a waiting saga locks
-- (profiles start at version 0).
create table delivery_address (
    customer_id uuid         primary key,
    version     bigint       not null,
    street      varchar(200),
    city        varchar(200),
    postal_code varchar(200),
    country     char(2),
    updated_at  timestamptz  not null
);

-- Orders waiting for their customer's profile to reach a version; the projection announces each one it satisfies.
create table delivery_address_wait (
    order_id    uuid        primary key,
    customer_id uuid        not null,
    version     bigint      not null,
    since       timestamptz not null
);
create index delivery_address_wait_customer on delivery_address_wait (customer_id);

-- The seeded stock of the default catalogue (API.md): 1000 units of each SKU.
insert into inventory_item (sku, available)
values ('SKU-1', 1000), ('SKU-2', 1000), ('SKU-3', 1000), ('SKU-4', 1000), ('SKU-5', 1000), ('SKU-9', 1000);

-- One fulfillment per order: a redelivered OrderAcceptedEvent (Kafka delivers at least once) finds its order here
-- and starts nothing, even after the first fulfillment ended and its saga is gone.
create table fulfillment_run (
    order_id   uuid        primary key,
    started_at timestamptz not null
);
