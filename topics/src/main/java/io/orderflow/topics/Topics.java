package io.orderflow.topics;

import io.orderflow.billing.api.BillingEventsTopic;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Kafka topic of orderflow, as code: names, keys, partitions, retention, cleanup policy and replication.
 *
 * <p>Event topics keep everything ({@code retention.ms=-1}, cleanup {@code delete}): they carry facts that new
 * consumers may need to read from the beginning. The address topics are compacted: consumers need the latest
 * address per customer, not its history. Records with the same key land in the same partition in order, so each
 * topic is keyed by the id whose events must stay ordered.
 *
 * <p>Replication follows the cluster: replication factor {@code min(3, brokers)} and {@code min.insync.replicas}
 * 2 when the factor is at least 3 (one broker may fail without losing an acknowledged write or stopping writes),
 * otherwise 1. {@link TopicInitializer} applies these definitions.
 */
public final class Topics {

    // The topics are named by the published languages whose events they carry (OrderEventsTopic,
    // CustomerEventsTopic, AddressTopics, FulfillmentEventsTopic, BillingEventsTopic).

    /** The latest shipping address per customer, keyed by customerId; compacted. */
    public static final String SHIPPING_ADDRESS_CHANGED = AddressTopics.SHIPPING;
    /** The latest billing address per customer, keyed by customerId; compacted. */
    public static final String BILLING_ADDRESS_CHANGED = AddressTopics.BILLING;

    /** Partitions per topic unless configured otherwise: room for six consumers of a group in parallel. */
    public static final int DEFAULT_PARTITIONS = 6;

    private Topics() {
    }

    /** Every topic name. */
    public static List<String> names() {
        return List.of(OrderEventsTopic.NAME, CustomerEventsTopic.NAME, FulfillmentEventsTopic.NAME,
                SHIPPING_ADDRESS_CHANGED, BILLING_ADDRESS_CHANGED, BillingEventsTopic.NAME);
    }

    /** The definitions for a cluster of {@code brokers} brokers, with the default partitions and replication. */
    public static List<TopicDefinition> forCluster(int brokers) {
        int replicationFactor = defaultReplicationFactor(brokers);
        return definitions(DEFAULT_PARTITIONS, replicationFactor, defaultMinInSyncReplicas(replicationFactor));
    }

    /** The definitions with explicit partitions, replication factor and {@code min.insync.replicas}. */
    public static List<TopicDefinition> definitions(int partitions, int replicationFactor, int minInSyncReplicas) {
        if (minInSyncReplicas < 1 || minInSyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor ("
                    + replicationFactor + "), was " + minInSyncReplicas);
        }
        short rf = (short) replicationFactor;
        return List.of(
                new TopicDefinition(OrderEventsTopic.NAME, OrderEventsTopic.KEY, partitions, rf,
                        eventLog(minInSyncReplicas)),
                new TopicDefinition(CustomerEventsTopic.NAME, CustomerEventsTopic.KEY, partitions, rf,
                        eventLog(minInSyncReplicas)),
                new TopicDefinition(FulfillmentEventsTopic.NAME, FulfillmentEventsTopic.KEY, partitions, rf,
                        eventLog(minInSyncReplicas)),
                new TopicDefinition(SHIPPING_ADDRESS_CHANGED, AddressTopics.KEY, partitions, rf,
                        latestPerKey(minInSyncReplicas)),
                new TopicDefinition(BILLING_ADDRESS_CHANGED, AddressTopics.KEY, partitions, rf,
                        latestPerKey(minInSyncReplicas)),
                new TopicDefinition(BillingEventsTopic.NAME, BillingEventsTopic.KEY, partitions, rf,
                        eventLog(minInSyncReplicas)));
    }

    /** {@code min(3, brokers)}: three copies where the cluster can hold them. */
    public static int defaultReplicationFactor(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster has at least one broker, was " + brokers);
        }
        return Math.min(3, brokers);
    }

    /** 2 for a replication factor of 3 or more, else 1: writes go on with one replica down, never with none. */
    public static int defaultMinInSyncReplicas(int replicationFactor) {
        return replicationFactor >= 3 ? 2 : 1;
    }

    private static Map<String, String> eventLog(int minInSyncReplicas) {
        Map<String, String> configs = common(minInSyncReplicas);
        configs.put("cleanup.policy", "delete");
        configs.put("retention.ms", "-1");
        configs.put("retention.bytes", "-1");
        return configs;
    }

    private static Map<String, String> latestPerKey(int minInSyncReplicas) {
        Map<String, String> configs = common(minInSyncReplicas);
        configs.put("cleanup.policy", "compact");
        return configs;
    }

    private static Map<String, String> common(int minInSyncReplicas) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("min.insync.replicas", Integer.toString(minInSyncReplicas));
        // Stated per topic as well as on the brokers, so an external cluster with other defaults cannot lose
        // acknowledged records by electing an out-of-sync replica.
        configs.put("unclean.leader.election.enable", "false");
        return configs;
    }
}
