package io.orderflow.gateway.kafka;

import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.infra.kafka.Topics;
import io.orderflow.order.api.OrderAcceptedEvent;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.TopicResolver;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Map;

/**
 * Wires the event store to Kafka. The Kafka extension's publisher runs as a pooled streaming processor on the
 * event store (the store is the outbox, ADR 0002); this class says where each event goes.
 */
@Configuration(proxyBeanMethods = false)
class KafkaForwardingConfiguration {

    /**
     * Replaces the extension's publisher (which waits for each record's acknowledgement in turn) with one that
     * waits for a whole batch at once; same guarantee, far less waiting (ADR 0002).
     */
    @Bean(destroyMethod = "shutDown")
    <K, V> KafkaPublisher<K, V> kafkaPublisher(@Qualifier("eventSerializer") Serializer eventSerializer,
                                               ProducerFactory<K, V> axonKafkaProducerFactory,
                                               KafkaMessageConverter<K, V> kafkaMessageConverter,
                                               TopicResolver topicResolver,
                                               @Value("${orderflow.kafka.publisher.ack-timeout:10s}")
                                               Duration ackTimeout) {
        // Axon's Micrometer module has no monitor for a publisher; the processor's own metrics cover forwarding.
        KafkaPublisher.Builder<K, V> builder = KafkaPublisher.<K, V>builder().serializer(eventSerializer);
        return new BatchAcknowledgedKafkaPublisher<>(axonKafkaProducerFactory, kafkaMessageConverter, topicResolver,
                ackTimeout, builder);
    }

    @Bean
    EventTopicRouting topicResolver() {
        return new EventTopicRouting(Map.of(
                OrderAcceptedEvent.class.getPackageName(), Topics.ORDER_EVENTS,
                CustomerRegisteredEvent.class.getPackageName(), Topics.CUSTOMER_EVENTS));
    }
}
