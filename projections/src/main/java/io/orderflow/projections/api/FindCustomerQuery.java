package io.orderflow.projections.api;

import io.orderflow.customer.api.CustomerId;

/**
 * Asks for a customer's profile; answered with an {@code Optional<CustomerView>}.
 */
public record FindCustomerQuery(CustomerId customerId) {
}
