package io.orderflow.order.api;

import org.axonframework.serialization.Revision;

/**
 * A shipment to the delivery address is arranged; from now on the order can no longer be cancelled.
 */
@Revision("1")
public record OrderShipmentArrangedEvent(OrderId orderId) {
}
