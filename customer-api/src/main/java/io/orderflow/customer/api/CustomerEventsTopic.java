package io.orderflow.customer.api;

/**
 * The customer context's events, registrations and address changes, travel on this Kafka topic, keyed by
 * {@code customerId} so that each customer's events stay in order. Its partitions, retention and replication are
 * the platform's (the topic definitions in {@code infra}).
 */
public final class CustomerEventsTopic {

    /** The topic's name. */
    public static final String NAME = "orderflow.customer-events";
    /** What each record's key is. */
    public static final String KEY = "customerId";

    private CustomerEventsTopic() {
    }
}
