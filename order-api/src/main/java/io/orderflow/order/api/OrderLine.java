package io.orderflow.order.api;

import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

import java.math.BigDecimal;

/**
 * One accepted line of an order, priced by the catalogue at acceptance time.
 */
public record OrderLine(Sku sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {

    public OrderLine {
        Required.nonNull("sku", sku);
        Required.nonNull("unitPrice", unitPrice);
        Required.nonNull("lineTotal", lineTotal);
        if (quantity < 1) {
            throw new ValueViolation("quantity", "must be at least 1");
        }
    }
}
