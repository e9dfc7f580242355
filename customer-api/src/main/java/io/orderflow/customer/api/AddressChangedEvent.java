package io.orderflow.customer.api;

import org.axonframework.serialization.Revision;

/**
 * One of a customer's addresses changed; {@code version} is the profile version this change produced. A consumer
 * applies it only when the version is newer than the one it holds, so that a late or re-delivered change never
 * rolls an address back.
 */
@Revision("1")
public record AddressChangedEvent(CustomerId customerId, AddressKind kind, PostalAddress address, long version) {
}
