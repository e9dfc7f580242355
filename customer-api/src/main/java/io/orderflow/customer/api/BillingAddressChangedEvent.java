package io.orderflow.customer.api;

import org.axonframework.serialization.Revision;

/**
 * The customer's billing address from profile {@code version} on, on {@link AddressTopics#BILLING}: the billing
 * counterpart of {@link ShippingAddressChangedEvent}, sent by the address router for every profile version, with the
 * same guarantees.
 */
@Revision("1")
public record BillingAddressChangedEvent(CustomerId customerId, PostalAddress address, long version) {
}
