package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

/**
 * The payment provider declined the order's total; nothing was charged.
 */
@Revision("1")
public record PaymentDeclinedEvent(OrderId orderId, String idempotencyKey, String reason) implements FulfillmentEvent {
}
