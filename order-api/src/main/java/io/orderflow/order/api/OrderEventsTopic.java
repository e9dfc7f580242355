package io.orderflow.order.api;

/**
 * The order context's events, every event of the Order aggregate, travel on this Kafka topic, keyed by
 * {@code orderId} so that each order's events stay in order. Its partitions, retention and replication are the
 * platform's (the topic definitions in {@code infra}).
 */
public final class OrderEventsTopic {

    /** The topic's name. */
    public static final String NAME = "orderflow.order-events";
    /** What each record's key is. */
    public static final String KEY = "orderId";

    private OrderEventsTopic() {
    }
}
