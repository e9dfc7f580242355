package io.orderflow.fulfillment.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

/**
 * The local delivery-address projection reached the customer-profile version an order waits for; the address is the one
 * at that version or a newer one.
 */
@Revision("1")
public record DeliveryAddressReadyEvent(OrderId orderId,
                                        CustomerId customerId,
                                        long version,
                                        PostalAddress deliveryAddress) implements FulfillmentEvent {
}
