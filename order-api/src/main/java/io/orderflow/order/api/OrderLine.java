package io.orderflow.order.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One accepted line of an order, priced by the catalogue at acceptance time.
 */
public record OrderLine(Sku sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {

    public OrderLine {
        Objects.requireNonNull(sku, "sku must not be null");
        Objects.requireNonNull(unitPrice, "unitPrice must not be null");
        Objects.requireNonNull(lineTotal, "lineTotal must not be null");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
    }
}
