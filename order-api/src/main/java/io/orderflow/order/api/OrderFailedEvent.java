package io.orderflow.order.api;

import org.axonframework.serialization.Revision;

/**
 * Fulfillment gave up for the given reason, after compensating what it had done.
 */
@Revision("1")
public record OrderFailedEvent(OrderId orderId, FailureReason reason) {
}
