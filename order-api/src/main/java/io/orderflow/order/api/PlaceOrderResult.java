package io.orderflow.order.api;

/**
 * What placing an order answers: the accepted total and the aggregate version the write produced, so that
 * the client can read its own write ({@code ?minVersion=}).
 */
public record PlaceOrderResult(OrderId orderId, Money total, long version) {
}
