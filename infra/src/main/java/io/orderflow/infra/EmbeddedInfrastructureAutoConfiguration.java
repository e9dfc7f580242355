package io.orderflow.infra;

import io.orderflow.infra.kafka.TopicInitializer;
import io.orderflow.infra.kafka.Topics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Applies the Kafka topics of {@link Topics} while the context starts, in embedded and external mode alike.
 *
 * <p>Ordered before Axon's and Spring's Kafka auto-configurations so that the initializer is instantiated (and
 * the topics exist) before their beans are, and long before any event processor starts. Properties:
 * {@code orderflow.kafka.topics.enabled} (default true), {@code orderflow.kafka.topics.partitions} (default 6),
 * {@code orderflow.kafka.topics.replication-factor} and {@code orderflow.kafka.topics.min-insync-replicas}
 * (0 derives them from the number of brokers: the embedded cluster's size, or describeCluster for an external
 * cluster), {@code orderflow.kafka.topics.timeout} (60s).
 */
@AutoConfiguration(beforeName = {
    "org.axonframework.extensions.kafka.autoconfig.KafkaAutoConfiguration",
    "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration"})
@ConditionalOnProperty(name = "orderflow.kafka.topics.enabled", matchIfMissing = true)
public class EmbeddedInfrastructureAutoConfiguration {

    /** The topic initializer, if any Kafka bootstrap address is configured. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("'${orderflow.kafka.bootstrap-servers:${axon.kafka.bootstrap-servers:"
            + "${spring.kafka.bootstrap-servers:}}}' != ''")
    public TopicInitializer orderflowTopicInitializer(Environment environment,
                                                      ObjectProvider<EmbeddedInfrastructure> infrastructure) {
        String bootstrapServers = environment.getProperty("orderflow.kafka.bootstrap-servers",
                environment.getProperty("axon.kafka.bootstrap-servers",
                        environment.getProperty("spring.kafka.bootstrap-servers")));
        // The embedded cluster's size is known; counting brokers through describeCluster would miss one that is
        // still joining or restarting.
        int embeddedReplicationFactor = infrastructure.stream()
                .flatMap(embedded -> embedded.kafka().stream())
                .mapToInt(cluster -> Topics.defaultReplicationFactor(cluster.size()))
                .findFirst().orElse(0);
        return new TopicInitializer(bootstrapServers)
                .withPartitions(environment.getProperty("orderflow.kafka.topics.partitions", Integer.class,
                        Topics.DEFAULT_PARTITIONS))
                .withReplicationFactor(environment.getProperty("orderflow.kafka.topics.replication-factor",
                        Integer.class, embeddedReplicationFactor))
                .withMinInSyncReplicas(environment.getProperty("orderflow.kafka.topics.min-insync-replicas",
                        Integer.class, 0))
                .withTimeout(DurationStyle.detectAndParse(
                        environment.getProperty("orderflow.kafka.topics.timeout", "60s")));
    }
}
