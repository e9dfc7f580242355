package io.orderflow.wiring.processors;

import io.orderflow.wiring.processors.ProcessorDeclaration.EventStore;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import io.orderflow.wiring.settings.EventKafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The store's publisher to Kafka (ADR 0002): reads the event store from the first event ever stored, never from the
 * head, so an event committed before the publisher first ran still reaches Kafka (consumers de-duplicate). One
 * segment keeps every event in store order; one order's or customer's events keep their Kafka key's order.
 */
@Configuration(proxyBeanMethods = false)
class KafkaPublisherProcessor {

    /** The processing group under which the Kafka extension registers its publisher. */
    static final String NAME = "__axon-kafka-event-publishing-group";

    @Bean
    ProcessorDeclaration kafkaPublisherDeclaration(
            EventKafkaProperties kafka) {
        return new ProcessorDeclaration(NAME, new EventStore(), kafka.publisher().segments(),
                kafka.publisher().batchSize(), true, Failures.KAFKA_PUBLISHER,
                "replaying the publisher would send the whole event store to Kafka again");
    }
}
