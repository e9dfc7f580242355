package io.orderflow.fulfillment.api;

import io.orderflow.order.api.Sku;

/** A SKU that an order wanted more of than was available when the reservation was tried. */
public record StockShortage(Sku sku, int requested, int available) {
}
