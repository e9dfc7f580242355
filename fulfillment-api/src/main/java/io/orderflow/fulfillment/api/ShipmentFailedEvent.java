package io.orderflow.fulfillment.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;
import jakarta.annotation.Nullable;

/**
 * No carrier could take the order's shipment. {@code customerId} names whose address it is (its street, city and
 * postal code are encrypted with that customer's key); events written before it was added have none.
 */
@Revision("1")
public record ShipmentFailedEvent(OrderId orderId, PostalAddress deliveryAddress, String reason,
                                  @Nullable CustomerId customerId)
        implements FulfillmentEvent {
}
