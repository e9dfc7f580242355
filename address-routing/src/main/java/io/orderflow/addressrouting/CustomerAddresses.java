package io.orderflow.addressrouting;

import io.orderflow.customer.api.AddressKind;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the router keeps per customer (its state store, keyed by customer id): the newest profile version it has
 * routed and the addresses as of that version. Either address is null until an event names it. The addresses are kept
 * as the events carry them (JSON, their personal fields encrypted with the customer's key): the router moves them
 * without reading them.
 */
record CustomerAddresses(long version, JsonNode shipping, JsonNode billing) {

    /** The addresses from {@code newVersion} on, with the address of {@code kind} changed. */
    CustomerAddresses with(AddressKind kind, JsonNode address, long newVersion) {
        return kind == AddressKind.SHIPPING ? new CustomerAddresses(newVersion, address, billing)
                : new CustomerAddresses(newVersion, shipping, address);
    }

    JsonNode of(AddressKind kind) {
        return kind == AddressKind.SHIPPING ? shipping : billing;
    }
}
