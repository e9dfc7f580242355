package io.orderflow.fulfillment.api;

/**
 * The fulfillment context's facts (stock, payment, shipment) travel on this Kafka topic, keyed by {@code orderId}
 * so that each order's facts stay in order. Its partitions, retention and replication are the platform's (the
 * topic definitions in {@code infra}).
 */
public final class FulfillmentEventsTopic {

    /** The topic's name. */
    public static final String NAME = "orderflow.fulfillment-events";
    /** What each record's key is. */
    public static final String KEY = "orderId";

    private FulfillmentEventsTopic() {
    }
}
