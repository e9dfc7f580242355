package io.orderflow.order;

/**
 * Where an order stands, as far as the aggregate needs to know to decide on the next command.
 */
enum OrderStatus {
    ACCEPTED
}
