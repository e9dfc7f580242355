package io.orderflow.customer.api;

import org.axonframework.serialization.Revision;

/**
 * The customer's shipping address from profile {@code version} on, on {@link AddressTopics#SHIPPING}. The address
 * router derives it from the customer context's events and sends one for every profile version it sees: a
 * registration, a shipping change, and a billing change too (with the shipping address unchanged), so that a
 * consumer waiting for a profile version sees it reached whichever address moved. Versions only grow on the topic:
 * the router drops a change older than one it has routed. A consumer still applies only a version newer than the
 * one it holds, as a record may be delivered twice.
 */
@Revision("1")
public record ShippingAddressChangedEvent(CustomerId customerId, PostalAddress address, long version) {
}
