package io.orderflow.console.processors;

import io.orderflow.wiring.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The head of Kafka topics: the next offset of each partition, through one admin client, cached for a moment so
 * that a dashboard polling the processor listing does not ask the brokers every time.
 */
@Component
class KafkaHeads implements DisposableBean {

    private static final Duration CACHE = Duration.ofMillis(500);

    private final KafkaClients clients;
    private Admin admin;
    private final Map<String, Cached> cache = new HashMap<>();

    KafkaHeads(KafkaClients clients) {
        this.clients = clients;
    }

    /** The next offset of every partition of the topics; empty if the brokers do not answer within 2 s. */
    synchronized Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        String key = String.join(",", topics);
        Cached cached = cache.get(key);
        if (cached != null && System.nanoTime() - cached.at < CACHE.toNanos()) {
            return cached.offsets;
        }
        Map<TopicPartition, Long> offsets;
        try {
            Map<String, org.apache.kafka.clients.admin.TopicDescription> described = admin().describeTopics(topics)
                    .allTopicNames().get(2, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = described.values().stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
            offsets = admin().listOffsets(request).all().get(2, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception brokersUnavailable) {
            return Map.of();
        }
        cache.put(key, new Cached(System.nanoTime(), Map.copyOf(offsets)));
        return offsets;
    }

    /** The description of each topic (partitions, leader, replicas, in-sync replicas); empty if unreachable. */
    synchronized Map<String, org.apache.kafka.clients.admin.TopicDescription> describe(Collection<String> topics) {
        try {
            return admin().describeTopics(topics).allTopicNames().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception brokersUnavailable) {
            return Map.of();
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(clients.admin(Map.of(
                    AdminClientConfig.CLIENT_ID_CONFIG, "orderflow-processor-inspector",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000)));
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private record Cached(long at, Map<TopicPartition, Long> offsets) {
    }
}
