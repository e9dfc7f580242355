package io.orderflow.projections.api;

import io.orderflow.order.api.OrderId;

/**
 * Asks for the notifications about an order, oldest first; answered with a list of {@link NotificationView}.
 */
public record FindNotificationsQuery(OrderId orderId) {
}
