package io.orderflow.order.api;

import java.math.BigDecimal;

/**
 * What placing an order answers: the accepted total and the aggregate version the write produced, so that
 * the client can read its own write ({@code ?minVersion=}).
 */
public record PlaceOrderResult(OrderId orderId, BigDecimal totalAmount, String currency, long version) {
}
