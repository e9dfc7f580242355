package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

/**
 * The order's authorization was voided at the provider (compensation), or blocked before any charge.
 */
@Revision("1")
public record PaymentVoidedEvent(OrderId orderId, String idempotencyKey) implements FulfillmentEvent {
}
