package io.orderflow.wiring;

import io.orderflow.topics.TopicInitializer;
import io.orderflow.topics.Topics;
import io.orderflow.topics.TopicsProperties;
import io.orderflow.wiring.kafka.KafkaClients;
import io.orderflow.wiring.settings.EventKafkaProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * The Kafka topics of {@link Topics} while the context starts. The application checks them and refuses to start,
 * naming every difference, when they do not match their definitions: it creates and changes no topic on a cluster
 * that an operator manages (its principal needs no right to). Creating and correcting them is the topic step
 * ({@code java -jar orderflow.jar topics}, {@link TopicsCommand}), which an operator or a deployment job runs; the
 * development run, which owns its embedded cluster, applies them at every start
 * ({@code orderflow.kafka.topics.mode=apply}).
 *
 * <p>The initializer is a bean of the application's own configuration, so it runs before the beans of Axon's Kafka
 * auto-configuration, and long before any event processor starts. Properties: {@code orderflow.kafka.topics.enabled}
 * (default true), {@code orderflow.kafka.topics.mode} ({@code check}, the default, or {@code apply}),
 * {@code orderflow.kafka.topics.partitions} (default 6), {@code orderflow.kafka.topics.replication-factor} and
 * {@code orderflow.kafka.topics.min-insync-replicas} (0 derives them from the cluster; the development launcher
 * sets the factor from its cluster's size), {@code orderflow.kafka.topics.timeout} (60s).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderflow.kafka.topics.enabled", matchIfMissing = true)
// Registered here too: the topic step's context (TopicsCommand) has only this configuration and the Kafka clients.
@EnableConfigurationProperties({TopicsProperties.class, EventKafkaProperties.class})
public class KafkaTopicsConfiguration {

    /** {@code check} (the default) or {@code apply}. */
    public static final String MODE = TopicsProperties.MODE;

    @Bean
    public TopicInitializer orderflowTopicInitializer(TopicsProperties topics, EventKafkaProperties kafka,
                                                      KafkaClients clients) {
        return new TopicInitializer(kafka.bootstrapServers())
                .withClientSettings(clients.admin(Map.of()))
                .withMode(topics.mode())
                .withPartitions(topics.partitions())
                .withReplicationFactor(topics.replicationFactor())
                .withMinInSyncReplicas(topics.minInsyncReplicas())
                .withTimeout(topics.timeout());
    }
}
