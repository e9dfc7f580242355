package io.orderflow.fulfillment.api;

import io.orderflow.order.api.Sku;
import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

/** A quantity of one SKU, as reserved, released or shipped for an order. */
public record StockLine(Sku sku, int quantity) {

    public StockLine {
        Required.nonNull("sku", sku);
        if (quantity < 1) {
            throw new ValueViolation("quantity", "must be at least 1");
        }
    }
}
