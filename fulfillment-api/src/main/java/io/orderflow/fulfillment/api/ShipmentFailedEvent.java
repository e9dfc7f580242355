package io.orderflow.fulfillment.api;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

/**
 * No carrier could take the order's shipment.
 */
@Revision("1")
public record ShipmentFailedEvent(OrderId orderId, PostalAddress deliveryAddress, String reason)
        implements FulfillmentEvent {
}
