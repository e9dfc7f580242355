package io.orderflow.projections.api;

import io.orderflow.customer.api.CustomerId;

import java.util.Objects;

/**
 * Asks for one page of a customer's orders, newest first; answered with a {@link CustomerOrdersPage}.
 */
public record FindCustomerOrdersQuery(CustomerId customerId, int page, int size) {

    public static final int MAX_SIZE = 100;

    public FindCustomerOrdersQuery {
        Objects.requireNonNull(customerId, "customerId must not be null");
        if (page < 0) {
            throw new IllegalArgumentException("page must not be negative");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
        }
    }
}
