package io.orderflow.order.api;

/**
 * Where an order stands in its lifecycle, as the API shows it.
 */
public enum OrderStatus {
    ACCEPTED,
    AWAITING_ADDRESS,
    STOCK_RESERVED,
    PAYMENT_AUTHORIZED,
    SHIPMENT_ARRANGED,
    COMPLETED,
    CANCELLED,
    FAILED;

    /** Whether nothing can happen to the order any more. */
    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }
}
