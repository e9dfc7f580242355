package io.orderflow.topics;

import io.orderflow.billing.api.BillingEventsTopic;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Kafka topic of orderflow, as code: names, keys, partitions, retention, cleanup policy and replication.
 *
 * <p>Each topic's retention follows from its purpose and is written beside its definition
 * ({@link TopicDefinition#retention()}): who reads it, from where, and how long a reader may be away and still catch
 * up. Topics that a replayable processor reads from offset 0 keep every record; the invoice feed, which no
 * processor of orderflow reads, keeps a month and a few days; the address topics keep the latest address per
 * customer and compact a replaced one away within a week. Storage per order is measured by the benchmark and the
 * README's operations section turns it into a size for a given order rate. Records with the same key land in the
 * same partition in order, so each topic is keyed by the id whose events must stay ordered.
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

    /** How long the invoice feed keeps a record: a reader may be away over a monthly close and still catch up. */
    public static final Duration INVOICE_FEED_RETENTION = Duration.ofDays(35);

    /**
     * The longest a replaced address stays on a compacted address topic ({@code max.compaction.lag.ms}), and how
     * long a tombstone stays there ({@code delete.retention.ms}): a reader away for longer misses a tombstone and
     * must read the topic again from its start.
     */
    public static final Duration ADDRESS_COMPACTION_LAG = Duration.ofDays(7);

    static final String REPLAYED_ORDER_FACTS = "every record, for good: analytics is rebuilt by reading it again "
            + "from offset 0 (ADR 0010), a new reader (another team's, or a new deployment of billing or "
            + "notifications) starts at the first record, and a reader may be away for any length of time. The "
            + "event store keeps the same facts; the README's storage section sizes the topic for an order rate";
    static final String REPLAYED_CUSTOMER_FACTS = "every record, for good: a reader that starts afresh (a new "
            + "deployment of notifications, which must know every customer's recipient, or the address router "
            + "after a reset) needs every customer's registration, not only the recent ones; one record per customer "
            + "and change, so it stays small beside the order topics";
    static final String REPLAYED_FULFILLMENT_FACTS = "every record, for good: analytics is rebuilt by reading it "
            + "again from offset 0 with the order events (ADR 0010); the saga reads it as it goes, so any outage is "
            + "caught up";
    static final String INVOICE_FEED = "35 days (retention.ms): no processor of orderflow reads it; it is the "
            + "invoice and credit-note feed for accounting, whose reader may be away over a monthly close and "
            + "still catch up. Older invoices stay in PostgreSQL and are served by the API";
    static final String LATEST_ADDRESS = "the latest address per customer (compacted): the delivery-address "
            + "projection and billing need no history. A replaced address is compacted away within 7 days "
            + "(max.compaction.lag.ms), so an old address is not kept on the topic; a tombstone stays 7 days "
            + "(delete.retention.ms), the longest a reader may be away and still see it";

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
                        keptForGood(minInSyncReplicas), REPLAYED_ORDER_FACTS),
                new TopicDefinition(CustomerEventsTopic.NAME, CustomerEventsTopic.KEY, partitions, rf,
                        keptForGood(minInSyncReplicas), REPLAYED_CUSTOMER_FACTS),
                new TopicDefinition(FulfillmentEventsTopic.NAME, FulfillmentEventsTopic.KEY, partitions, rf,
                        keptForGood(minInSyncReplicas), REPLAYED_FULFILLMENT_FACTS),
                new TopicDefinition(SHIPPING_ADDRESS_CHANGED, AddressTopics.KEY, partitions, rf,
                        latestPerKey(minInSyncReplicas), LATEST_ADDRESS),
                new TopicDefinition(BILLING_ADDRESS_CHANGED, AddressTopics.KEY, partitions, rf,
                        latestPerKey(minInSyncReplicas), LATEST_ADDRESS),
                new TopicDefinition(BillingEventsTopic.NAME, BillingEventsTopic.KEY, partitions, rf,
                        keptFor(INVOICE_FEED_RETENTION, minInSyncReplicas), INVOICE_FEED));
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

    private static Map<String, String> keptForGood(int minInSyncReplicas) {
        Map<String, String> configs = common(minInSyncReplicas);
        configs.put("cleanup.policy", "delete");
        configs.put("retention.ms", "-1");
        configs.put("retention.bytes", "-1");
        return configs;
    }

    private static Map<String, String> keptFor(Duration retention, int minInSyncReplicas) {
        Map<String, String> configs = common(minInSyncReplicas);
        configs.put("cleanup.policy", "delete");
        configs.put("retention.ms", Long.toString(retention.toMillis()));
        // Time decides, not size: a size limit would drop records a reader has not read during a burst.
        configs.put("retention.bytes", "-1");
        return configs;
    }

    private static Map<String, String> latestPerKey(int minInSyncReplicas) {
        Map<String, String> configs = common(minInSyncReplicas);
        configs.put("cleanup.policy", "compact");
        configs.put("max.compaction.lag.ms", Long.toString(ADDRESS_COMPACTION_LAG.toMillis()));
        configs.put("delete.retention.ms", Long.toString(ADDRESS_COMPACTION_LAG.toMillis()));
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
