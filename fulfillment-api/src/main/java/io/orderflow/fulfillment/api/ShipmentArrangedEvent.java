package io.orderflow.fulfillment.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;
import jakarta.annotation.Nullable;

/**
 * A carrier accepted the order's shipment to the delivery address. {@code customerId} names whose address it is (its
 * street, city and postal code are encrypted with that customer's key); events written before it was added have none.
 */
@Revision("1")
public record ShipmentArrangedEvent(OrderId orderId,
                                    String shipmentId,
                                    String carrier,
                                    PostalAddress deliveryAddress,
                                    @Nullable CustomerId customerId) implements FulfillmentEvent {
}
