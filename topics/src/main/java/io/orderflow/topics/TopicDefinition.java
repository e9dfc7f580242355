package io.orderflow.topics;

import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * One Kafka topic as this application wants it.
 *
 * @param name              the topic name
 * @param keyedBy           what the record key is (documentation: it decides ordering and compaction)
 * @param partitions        the number of partitions
 * @param replicationFactor copies of each partition
 * @param configs           topic-level configuration, including {@code min.insync.replicas}
 * @param retention         why the topic keeps what it keeps, from its purpose: who reads it, from where, and how
 *                          long a reader may be away (shown in the AsyncAPI document and the dashboard)
 */
public record TopicDefinition(String name, String keyedBy, int partitions, short replicationFactor,
                              Map<String, String> configs, String retention) {

    /** Validates and copies the configuration. */
    public TopicDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyedBy, "keyedBy");
        if (retention == null || retention.isBlank()) {
            throw new IllegalArgumentException(name + ": say why the topic keeps what it keeps");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(name + ": replication factor must be at least 1, was "
                    + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }

    /** The AdminClient request that creates this topic. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
