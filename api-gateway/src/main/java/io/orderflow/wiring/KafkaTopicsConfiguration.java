package io.orderflow.wiring;

import io.orderflow.topics.TopicInitializer;
import io.orderflow.topics.Topics;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import io.orderflow.wiring.kafka.KafkaClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Applies the Kafka topics of {@link Topics} while the context starts: creates the missing ones and corrects
 * partitions and settings of the others, on an external cluster as on the development launcher's.
 *
 * <p>The initializer is a bean of the application's own configuration, so it is instantiated (and the topics
 * exist) before the beans of Axon's Kafka auto-configuration, and long before any event processor starts.
 * Properties: {@code orderflow.kafka.topics.enabled} (default true), {@code orderflow.kafka.topics.partitions}
 * (default 6), {@code orderflow.kafka.topics.replication-factor} and
 * {@code orderflow.kafka.topics.min-insync-replicas} (0 derives them from the number of brokers that
 * describeCluster counts; the development launcher sets the factor from its cluster's size),
 * {@code orderflow.kafka.topics.timeout} (60s).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderflow.kafka.topics.enabled", matchIfMissing = true)
public class KafkaTopicsConfiguration {

    @Bean
    public TopicInitializer orderflowTopicInitializer(Environment environment, KafkaClients clients) {
        return new TopicInitializer(environment.getRequiredProperty("orderflow.kafka.bootstrap-servers"))
                .withClientSettings(clients.admin(Map.of()))
                .withPartitions(environment.getProperty("orderflow.kafka.topics.partitions", Integer.class,
                        Topics.DEFAULT_PARTITIONS))
                .withReplicationFactor(environment.getProperty("orderflow.kafka.topics.replication-factor",
                        Integer.class, 0))
                .withMinInSyncReplicas(environment.getProperty("orderflow.kafka.topics.min-insync-replicas",
                        Integer.class, 0))
                .withTimeout(DurationStyle.detectAndParse(
                        environment.getProperty("orderflow.kafka.topics.timeout", "60s")));
    }
}
