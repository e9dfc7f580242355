package io.orderflow.order.api;

import org.axonframework.serialization.Revision;

/**
 * The customer cancelled the order before a shipment was arranged.
 */
@Revision("1")
public record OrderCancelledEvent(OrderId orderId, String reason) {
}
