package io.orderflow.customer.api;

import java.util.Optional;

/**
 * The topics of the routed address events: the address router reads {@link CustomerEventsTopic} and sends each
 * customer's shipping and billing address, per profile version, to a topic of its own, so that the fulfillment and
 * billing contexts each read only the address they use. Keyed by {@code customerId}; compacted, as a consumer needs
 * the latest address per customer, not its history.
 */
public final class AddressTopics {

    /** {@link ShippingAddressChangedEvent}s. */
    public static final String SHIPPING = "orderflow.shipping-address-changed";
    /** {@link BillingAddressChangedEvent}s. */
    public static final String BILLING = "orderflow.billing-address-changed";
    /** What each record's key is. */
    public static final String KEY = "customerId";

    private AddressTopics() {
    }

    /**
     * The topic the address router writes events of {@code eventType} to, if it is one of the routed address events
     * (they are never in the event store, so the store's publisher does not know them).
     */
    public static Optional<String> topicOf(String eventType) {
        if (ShippingAddressChangedEvent.class.getName().equals(eventType)) {
            return Optional.of(SHIPPING);
        }
        if (BillingAddressChangedEvent.class.getName().equals(eventType)) {
            return Optional.of(BILLING);
        }
        return Optional.empty();
    }
}
