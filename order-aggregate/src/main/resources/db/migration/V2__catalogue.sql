-- The catalogue that prices orders (order context). Seeded so that a newcomer can place orders at once.
CREATE TABLE catalogue_item (
    sku        VARCHAR(64)    PRIMARY KEY,
    name       VARCHAR(200)   NOT NULL,
    unit_price NUMERIC(19, 4) NOT NULL CHECK (unit_price >= 0),
    currency   VARCHAR(3)     NOT NULL
);

INSERT INTO catalogue_item (sku, name, unit_price, currency) VALUES
    ('SKU-1', 'Espresso beans, 1 kg', 19.99, 'EUR'),
    ('SKU-2', 'Ceramic mug', 8.50, 'EUR'),
    ('SKU-3', 'Pour-over kettle', 39.00, 'EUR'),
    ('SKU-4', 'Burr grinder', 129.00, 'EUR'),
    ('SKU-5', 'Paper filters, 100', 4.25, 'EUR'),
    ('SKU-9', 'Dual-boiler espresso machine', 12500.00, 'EUR');
