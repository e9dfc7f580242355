package io.orderflow.order.api;

import org.axonframework.serialization.Revision;

/**
 * Fulfillment finished: the order was paid and shipped.
 */
@Revision("1")
public record OrderCompletedEvent(OrderId orderId) {
}
