package io.orderflow.order.api;

import org.axonframework.serialization.Revision;

/**
 * Fulfillment waits for the customer's address to reach the version the order names.
 */
@Revision("1")
public record OrderAwaitingAddressEvent(OrderId orderId) {
}
