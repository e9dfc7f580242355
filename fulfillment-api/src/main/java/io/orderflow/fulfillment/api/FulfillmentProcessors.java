package io.orderflow.fulfillment.api;

/**
 * The names of the fulfillment context's event processors: the processing groups of its saga and its
 * delivery-address projection, and the names operators use in the operations API and the dashboard. Use these
 * constants wherever one is named; the names are part of the operations API and never change.
 */
public final class FulfillmentProcessors {

    /** The fulfillment saga and its straight path; from Kafka. Sagas are never replayed. */
    public static final String FULFILLMENT = "fulfillment";
    /** The local delivery-address projection; from Kafka. */
    public static final String DELIVERY_ADDRESS = "delivery-address";

    private FulfillmentProcessors() {
    }
}
