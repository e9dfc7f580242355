package io.orderflow.fulfillment.api;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

/**
 * A carrier accepted the order's shipment to the delivery address.
 */
@Revision("1")
public record ShipmentArrangedEvent(OrderId orderId,
                                    String shipmentId,
                                    String carrier,
                                    PostalAddress deliveryAddress) implements FulfillmentEvent {
}
