package io.orderflow.customer.api;

/**
 * Whether a customer's personal data was erased, as the customer-profile context records it at the moment of the
 * erasure: for a context that is about to act on a copy (send an e-mail) and must not wait for the
 * {@link CustomerErasedEvent} to reach it.
 */
public interface ErasedCustomers {

    boolean erased(CustomerId customerId);
}
