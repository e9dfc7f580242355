package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

/**
 * The order's arranged shipment was called off (compensation).
 */
@Revision("1")
public record ShipmentCancelledEvent(OrderId orderId, String shipmentId) implements FulfillmentEvent {
}
