package io.orderflow.fulfillment.api;

import io.orderflow.order.api.Sku;

import java.util.Objects;

/** A quantity of one SKU, as reserved, released or shipped for an order. */
public record StockLine(Sku sku, int quantity) {

    public StockLine {
        Objects.requireNonNull(sku, "sku must not be null");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
    }
}
