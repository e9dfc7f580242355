package io.orderflow.addressrouting;

import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.PostalAddress;

/**
 * What the router keeps per customer (its state store, keyed by customer id): the newest profile version it has
 * routed and the addresses as of that version. Either address is null until an event names it.
 */
record CustomerAddresses(long version, PostalAddress shipping, PostalAddress billing) {

    /** The addresses from {@code newVersion} on, with the address of {@code kind} changed. */
    CustomerAddresses with(AddressKind kind, PostalAddress address, long newVersion) {
        return kind == AddressKind.SHIPPING ? new CustomerAddresses(newVersion, address, billing)
                : new CustomerAddresses(newVersion, shipping, address);
    }

    PostalAddress of(AddressKind kind) {
        return kind == AddressKind.SHIPPING ? shipping : billing;
    }
}
