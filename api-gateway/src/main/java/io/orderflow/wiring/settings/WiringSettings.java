package io.orderflow.wiring.settings;


import io.orderflow.topics.TopicsProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the application's own settings: the API's, the instance's, the processors', Kafka's, the event store's
 * (ADR 0044). Each module registers its own (the contexts in their settings packages); the topic step, which starts
 * only the Kafka beans, registers what it reads itself (KafkaTopicsConfiguration).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, AccessProperties.class, InstanceProperties.class,
        ProcessorsProperties.class, EventKafkaProperties.class, AddressRoutingProperties.class,
        EventStoreProperties.class, CommandsProperties.class, AuditProperties.class, TopicsProperties.class})
public class WiringSettings {
}
