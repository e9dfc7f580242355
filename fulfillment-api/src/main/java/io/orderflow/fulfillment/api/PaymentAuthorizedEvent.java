package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The payment provider authorized the order's total under the idempotency key.
 */
@Revision("1")
public record PaymentAuthorizedEvent(OrderId orderId,
                                     String idempotencyKey,
                                     BigDecimal amount,
                                     String currency,
                                     Instant authorizedAt) implements FulfillmentEvent {
}
