package io.orderflow.projections.api;

import io.orderflow.customer.api.PostalAddress;

import java.util.UUID;

/**
 * A customer's profile as the read side knows it.
 *
 * @param version the profile version this view has applied
 */
public record CustomerView(UUID customerId, String name, String email, PostalAddress shippingAddress,
                           PostalAddress billingAddress, long version) {
}
