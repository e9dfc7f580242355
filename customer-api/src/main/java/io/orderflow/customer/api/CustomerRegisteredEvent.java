package io.orderflow.customer.api;

import io.orderflow.values.PersonalData;
import org.axonframework.serialization.Revision;

/**
 * A customer registered, with a shipping and a billing address. The profile's version is 0.
 */
@Revision("1")
public record CustomerRegisteredEvent(CustomerId customerId, @PersonalData String name, @PersonalData String email,
                                      PostalAddress shippingAddress, PostalAddress billingAddress, long version) {
}
