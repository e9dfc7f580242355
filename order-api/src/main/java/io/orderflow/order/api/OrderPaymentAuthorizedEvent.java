package io.orderflow.order.api;

import org.axonframework.serialization.Revision;

/**
 * The payment provider authorized the order's total.
 */
@Revision("1")
public record OrderPaymentAuthorizedEvent(OrderId orderId) {
}
