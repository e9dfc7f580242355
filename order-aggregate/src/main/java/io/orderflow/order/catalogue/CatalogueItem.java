package io.orderflow.order.catalogue;

import io.orderflow.order.api.Money;
import io.orderflow.order.api.Sku;

import java.util.Objects;

/**
 * One sellable item and its current unit price.
 */
public record CatalogueItem(Sku sku, String name, Money unitPrice) {

    public CatalogueItem {
        Objects.requireNonNull(sku, "sku must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(unitPrice, "unitPrice must not be null");
        if (unitPrice.isNegative()) {
            throw new IllegalArgumentException("unitPrice must not be negative");
        }
    }
}
