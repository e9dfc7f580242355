package io.orderflow.gateway.axon;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every event processor of the application in one place, each with a deliberate source, initial token and batch
 * size (ENGINEERING.md trap 3: a new processor's default token replays or skips history without saying so).
 */
@Configuration(proxyBeanMethods = false)
class EventProcessorsConfiguration {

    /** The processing group under which the Kafka extension registers its publisher. */
    static final String KAFKA_PUBLISHER = "__axon-kafka-event-publishing-group";
    static final String ORDER_SUMMARY = "order-summary";
    static final String CUSTOMER_PROFILE = "customer-profile";

    @Bean
    ConfigurerModule eventProcessors(
            @Value("${orderflow.kafka.publisher.batch-size:100}") int publisherBatchSize,
            @Value("${orderflow.kafka.publisher.segments:4}") int publisherSegments,
            @Value("${orderflow.projections.batch-size:50}") int projectionBatchSize,
            @Value("${orderflow.projections.segments:4}") int projectionSegments) {
        return configurer -> configurer
                // Wakes the processors when events arrive instead of leaving them to poll every 500 ms.
                .registerComponent(EventStoreWakeUp.class, config -> new EventStoreWakeUp(config.eventStore()))
                .eventProcessing(processing -> processing
                // The publisher starts at the first event ever stored, never at the head: an event that was
                // committed before the publisher first ran must still reach Kafka. Consumers de-duplicate.
                .registerPooledStreamingEventProcessorConfiguration(KAFKA_PUBLISHER, (config, builder) -> builder
                        .messageSource(config.getComponent(EventStoreWakeUp.class))
                        .initialToken(StreamableMessageSource::createTailToken)
                        .initialSegmentCount(publisherSegments)
                        .batchSize(publisherBatchSize))
                // Projections are built from the whole history; a reset replays it.
                .registerPooledStreamingEventProcessor(ORDER_SUMMARY,
                        config -> config.getComponent(EventStoreWakeUp.class),
                        (config, builder) -> projection(builder, projectionSegments, projectionBatchSize))
                .registerPooledStreamingEventProcessor(CUSTOMER_PROFILE,
                        config -> config.getComponent(EventStoreWakeUp.class),
                        (config, builder) -> projection(builder, projectionSegments, projectionBatchSize)));
    }

    private static PooledStreamingEventProcessor.Builder projection(PooledStreamingEventProcessor.Builder builder,
                                                                    int segments, int batchSize) {
        return builder.initialToken(StreamableMessageSource::createTailToken)
                .initialSegmentCount(segments)
                .batchSize(batchSize);
    }
}
