package io.orderflow.wiring;

import io.orderflow.topics.TopicInitializer;
import io.orderflow.topics.Topics;
import io.orderflow.wiring.kafka.KafkaClients;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.Locale;
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
public class KafkaTopicsConfiguration {

    /** {@code check} (the default) or {@code apply}. */
    public static final String MODE = "orderflow.kafka.topics.mode";

    @Bean
    public TopicInitializer orderflowTopicInitializer(Environment environment, KafkaClients clients) {
        return new TopicInitializer(environment.getRequiredProperty("orderflow.kafka.bootstrap-servers"))
                .withClientSettings(clients.admin(Map.of()))
                .withMode(mode(environment.getProperty(MODE, "check")))
                .withPartitions(environment.getProperty("orderflow.kafka.topics.partitions", Integer.class,
                        Topics.DEFAULT_PARTITIONS))
                .withReplicationFactor(environment.getProperty("orderflow.kafka.topics.replication-factor",
                        Integer.class, 0))
                .withMinInSyncReplicas(environment.getProperty("orderflow.kafka.topics.min-insync-replicas",
                        Integer.class, 0))
                .withTimeout(DurationStyle.detectAndParse(
                        environment.getProperty("orderflow.kafka.topics.timeout", "60s")));
    }

    private static TopicInitializer.Mode mode(String value) {
        try {
            return TopicInitializer.Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MODE + " must be check or apply, was '" + value + "'", e);
        }
    }
}
