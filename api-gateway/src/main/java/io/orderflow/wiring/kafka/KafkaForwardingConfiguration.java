package io.orderflow.wiring.kafka;

import io.orderflow.topics.CloudEventHeaders;

import io.orderflow.billing.api.BillingEvent;
import io.orderflow.billing.api.BillingEventsTopic;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.fulfillment.api.FulfillmentEvent;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.wiring.settings.EventKafkaProperties;
import io.orderflow.wiring.settings.InstanceProperties;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.DefaultProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.TopicResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
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
                                               EventKafkaProperties kafka) {
        Duration ackTimeout = kafka.publisher().ackTimeout();
        // Axon's Micrometer module has no monitor for a publisher; the processor's own metrics cover forwarding.
        KafkaPublisher.Builder<K, V> builder = KafkaPublisher.<K, V>builder().serializer(eventSerializer);
        return new BatchAcknowledgedKafkaPublisher<>(axonKafkaProducerFactory, kafkaMessageConverter, topicResolver,
                ackTimeout, builder);
    }

    /**
     * Replaces the extension's producer factory: Axon's producer settings ({@code axon.kafka.producer.*}: acks,
     * idempotence, timeouts) on top of the application's shared client settings ({@code spring.kafka.*}: brokers,
     * security), so the publisher reaches a secured cluster like every other client ({@link KafkaClients}).
     */
    @Bean(destroyMethod = "shutDown")
    ProducerFactory<String, byte[]> axonKafkaProducerFactory(
            org.axonframework.extensions.kafka.KafkaProperties axon, KafkaClients clients,
            KafkaClientMeters clientMeters) {
        return clientMeters.producers(DefaultProducerFactory.<String, byte[]>builder()
                .configuration(clients.producer(axon.buildProducerProperties()))
                .confirmationMode(axon.getPublisher().getConfirmationMode())
                .build());
    }

    /** Kafka's client metrics of the publisher and the consumers (docs/operations/metrics.md). */
    @Bean
    KafkaClientMeters kafkaClientMeters(MeterRegistry meters) {
        return new KafkaClientMeters(meters);
    }

    @Bean
    EventTopicRouting topicResolver() {
        return new EventTopicRouting(Map.of(
                OrderAcceptedEvent.class.getPackageName(), OrderEventsTopic.NAME,
                CustomerRegisteredEvent.class.getPackageName(), CustomerEventsTopic.NAME,
                FulfillmentEvent.class.getPackageName(), FulfillmentEventsTopic.NAME,
                BillingEvent.class.getPackageName(), BillingEventsTopic.NAME));
    }

    /**
     * Writes and reads Kafka records: Axon's converter with the keys of {@link EventKeys} and the application's
     * upcasters, so a consumer of an older revision's record sees the current event. Records it cannot read are
     * counted and logged ({@link CountingKafkaMessageConverter}); records it writes are CloudEvents with a trace
     * ({@link CloudEventsKafkaMessageConverter}).
     */
    @Bean
    KafkaMessageConverter<String, byte[]> kafkaMessageConverter(@Qualifier("eventSerializer") Serializer serializer,
                                                                ObjectProvider<EventUpcaster> upcasters,
                                                                MeterRegistry meters,
                                                                InstanceProperties instance) {
        String publicBaseUrl = instance.publicBaseUrl();
        // The upcaster beans themselves, in their declared order, rather than Axon's configuration: the message
        // sources built on this converter are needed while that configuration is being built.
        return new CloudEventsKafkaMessageConverter(new CountingKafkaMessageConverter(DefaultKafkaMessageConverter.builder()
                .serializer(serializer)
                .sequencingPolicy(new EventKeys())
                .upcasterChain(new EventUpcasterChain(upcasters.orderedStream().toList()))
                .build(), meters), CloudEventHeaders.contractsUrl(publicBaseUrl));
    }
}
