package io.orderflow.projections.api;

import io.orderflow.order.api.OrderId;

/**
 * Asks for the current summary of one order; answered with an {@code Optional<OrderSummaryView>}.
 */
public record FindOrderSummaryQuery(OrderId orderId) {
}
