package io.orderflow.projections.api;

import jakarta.annotation.Nullable;
import java.time.Instant;
import io.orderflow.customer.api.PostalAddress;

import java.util.UUID;

/**
 * A customer's profile as the read side knows it.
 *
 * @param version  the profile version this view has applied
 * @param erasedAt when the customer's personal data was erased (the name, e-mail and addresses then read
 *                 {@code [erased]}, countries aside); absent while it was not
 */
public record CustomerView(UUID customerId, String name, String email, PostalAddress shippingAddress,
                           PostalAddress billingAddress, long version, @Nullable Instant erasedAt) {
}
