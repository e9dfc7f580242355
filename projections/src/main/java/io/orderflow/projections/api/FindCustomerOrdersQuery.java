package io.orderflow.projections.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

/**
 * Asks for one page of a customer's orders, newest first; answered with a {@link CustomerOrdersPage}.
 */
public record FindCustomerOrdersQuery(CustomerId customerId, int page, int size) {

    public static final int MAX_SIZE = 100;

    public FindCustomerOrdersQuery {
        Required.nonNull("customerId", customerId);
        if (page < 0) {
            throw new ValueViolation("page", "must not be negative");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new ValueViolation("size", "must be between 1 and " + MAX_SIZE);
        }
    }
}
