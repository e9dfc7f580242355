package io.orderflow.billing.api;

/**
 * The billing context's facts (invoices and credit notes issued) travel on this Kafka topic, keyed by
 * {@code orderId} so that an order's invoice comes before its credit note. Its partitions, retention and
 * replication are the platform's (the topic definitions in {@code topics}).
 */
public final class BillingEventsTopic {

    /** The topic's name. */
    public static final String NAME = "orderflow.billing-events";
    /** What each record's key is. */
    public static final String KEY = "orderId";

    private BillingEventsTopic() {
    }
}
