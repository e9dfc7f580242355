package io.orderflow.gateway.benchmark;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the orders placed so far take on disk, per order: on Kafka, per topic (every replica's log segments, as the
 * brokers report them), and in PostgreSQL, the event store apart from everything else (tables with their indexes
 * and TOAST). Divided by the orders in the event store, these are the figures the README's storage sizing
 * multiplies by an order rate and a retention.
 */
final class StorageMeter {

    /** Bytes per order, by place ("kafka orderflow.order-events", "postgres event store", ...), and the order count. */
    record PerOrder(long orders, Map<String, Double> bytes) {

        double kafkaTotal() {
            return bytes.entrySet().stream().filter(e -> e.getKey().startsWith("kafka "))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        /** A markdown table of the figures, the largest first. */
        String table() {
            StringBuilder out = new StringBuilder("| where | bytes per order |\n| --- | ---: |\n");
            bytes.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format(java.util.Locale.ROOT, "| %s | %,.0f |%n", e.getKey(),
                            e.getValue())));
            return out.toString();
        }
    }

    private StorageMeter() {
    }

    static PerOrder measure(JdbcTemplate jdbc, Map<String, Object> kafkaClient) throws Exception {
        long orders = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry "
                + "WHERE payload_type = 'io.orderflow.order.api.OrderAcceptedEvent'", Long.class);
        Map<String, Double> bytes = new LinkedHashMap<>();
        kafkaBytesPerTopic(kafkaClient).forEach((topic, size) -> {
            if (topic.startsWith("orderflow.")) {
                bytes.put("kafka " + topic, size / (double) orders);
            }
        });
        long eventStore = jdbc.queryForObject("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) "
                + "FROM pg_class c WHERE c.relname IN ('domain_event_entry', 'snapshot_event_entry') "
                + "AND c.relkind = 'r'", Long.class);
        long database = jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class);
        bytes.put("postgres event store (events and snapshots, with indexes)", eventStore / (double) orders);
        bytes.put("postgres everything else (projections, sagas, tokens, participants)",
                (database - eventStore) / (double) orders);
        return new PerOrder(orders, bytes);
    }

    private static Map<String, Long> kafkaBytesPerTopic(Map<String, Object> kafkaClient) throws Exception {
        Map<String, Long> sizes = new TreeMap<>();
        try (Admin admin = Admin.create(kafkaClient)) {
            var brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(n -> n.id())
                    .toList();
            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(brokers).allDescriptions()
                    .get(30, TimeUnit.SECONDS);
            for (Map<String, LogDirDescription> perBroker : dirs.values()) {
                for (LogDirDescription dir : perBroker.values()) {
                    for (Map.Entry<org.apache.kafka.common.TopicPartition, ReplicaInfo> replica
                            : dir.replicaInfos().entrySet()) {
                        sizes.merge(replica.getKey().topic(), replica.getValue().size(), Long::sum);
                    }
                }
            }
        }
        return sizes;
    }
}
