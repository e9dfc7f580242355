package io.orderflow.customer.api;

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
}
