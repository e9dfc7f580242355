package io.orderflow.gateway.kafka;

import io.orderflow.infra.kafka.Topics;
import io.orderflow.order.api.OrderAcceptedEvent;
import org.axonframework.extensions.kafka.eventhandling.producer.TopicResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * Wires the event store to Kafka. The Kafka extension's publisher runs as a pooled streaming processor on the
 * event store (the store is the outbox, ADR 0002); this class says where each event goes.
 */
@Configuration(proxyBeanMethods = false)
class KafkaForwardingConfiguration {

    @Bean
    TopicResolver topicResolver() {
        return new EventTopicRouting(Map.of(
                OrderAcceptedEvent.class.getPackageName(), Topics.ORDER_EVENTS));
    }
}
