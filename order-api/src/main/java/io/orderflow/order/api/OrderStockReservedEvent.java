package io.orderflow.order.api;

import org.axonframework.serialization.Revision;

/**
 * Stock for every line of the order is reserved.
 */
@Revision("1")
public record OrderStockReservedEvent(OrderId orderId) {
}
