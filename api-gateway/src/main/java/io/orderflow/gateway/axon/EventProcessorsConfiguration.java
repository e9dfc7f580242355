package io.orderflow.gateway.axon;

import static io.orderflow.fulfillment.api.FulfillmentProcessors.DELIVERY_ADDRESS;
import static io.orderflow.fulfillment.api.FulfillmentProcessors.FULFILLMENT;
import static io.orderflow.projections.api.ProjectionProcessors.ANALYTICS;
import static io.orderflow.projections.api.ProjectionProcessors.CUSTOMER_PROFILE;
import static io.orderflow.projections.api.ProjectionProcessors.NOTIFICATIONS;
import static io.orderflow.projections.api.ProjectionProcessors.ORDER_SUMMARY;

import io.orderflow.gateway.kafka.EventKeys;
import io.orderflow.gateway.kafka.KafkaSourcesConfiguration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Every event processor of the application in one place, each with a deliberate source, initial token and batch
 * size: left to Axon's default, a new processor's first token replays or skips the history without saying so.
 */
@Configuration(proxyBeanMethods = false)
class EventProcessorsConfiguration {

    /** The processing group under which the Kafka extension registers its publisher. */
    static final String KAFKA_PUBLISHER = "__axon-kafka-event-publishing-group";
    /** The processors whose handlers park a failing event's sequence in the dead-letter queue. */
    static final List<String> DEAD_LETTERING = List.of(ORDER_SUMMARY, CUSTOMER_PROFILE, ANALYTICS, NOTIFICATIONS);

    @Bean
    ConfigurerModule eventProcessors(
            @Value("${orderflow.kafka.publisher.batch-size:500}") int publisherBatchSize,
            @Value("${orderflow.kafka.publisher.segments:1}") int publisherSegments,
            @Value("${orderflow.projections.batch-size:500}") int projectionBatchSize,
            @Value("${orderflow.projections.segments:4}") int projectionSegments,
            @Value("${orderflow.fulfillment.segments:1}") int fulfillmentSegments,
            @Value("${orderflow.fulfillment.batch-size:250}") int fulfillmentBatchSize,
            @Value("${orderflow.analytics.batch-size:50}") int analyticsBatchSize,
            @Value("${orderflow.notifications.batch-size:10}") int notificationBatchSize,
            BeanFactory beans) {
        // The Kafka sources are looked up when the processors are built, not injected: they need beans that need
        // Axon's configuration, which this module is part of.
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
                        (config, builder) -> projection(builder, projectionSegments, projectionBatchSize))
                // The fulfillment context reads Kafka, never the order context's store, with tracking processors:
                // each segment's thread opens its own stream at its own token. (A pooled processor opens one stream
                // at the lower bound of its segments' tokens, and the Kafka extension's lower bound counts a
                // partition missing from a token as offset 0 already read: after a crash the first record of such a
                // partition was skipped, and its saga never resumed. ADR 0008.) On first start they read their
                // topics from the beginning, so no order accepted before they first ran is left unfulfilled; after
                // that their tokens (partition offsets) are in the token store, committed with the saga's state.
                .registerTrackingEventProcessor(FULFILLMENT,
                        config -> kafkaSource(beans, KafkaSourcesConfiguration.FULFILLMENT_SOURCE),
                        config -> tracking(fulfillmentSegments)
                                .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                                .andBatchSize(fulfillmentBatchSize))
                .registerTrackingEventProcessor(DELIVERY_ADDRESS,
                        config -> kafkaSource(beans, KafkaSourcesConfiguration.CUSTOMER_SOURCE),
                        config -> tracking(1)
                                .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                                .andBatchSize(10))
                // Analytics is another context's read model: it reads Kafka from the beginning of the topics, and a
                // replay reads them again (its tokens are partition offsets).
                .registerTrackingEventProcessor(ANALYTICS,
                        config -> kafkaSource(beans, KafkaSourcesConfiguration.ANALYTICS_SOURCE),
                        config -> tracking(1)
                                .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                                .andBatchSize(analyticsBatchSize))
                // Notifications start at the beginning of the topics too, so that no order accepted before the
                // sender first ran goes unannounced; each event is notified once (ADR 0011). It is never replayed.
                .registerTrackingEventProcessor(NOTIFICATIONS,
                        config -> kafkaSource(beans, KafkaSourcesConfiguration.NOTIFICATION_SOURCE),
                        config -> tracking(1)
                                .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                                .andBatchSize(notificationBatchSize))
                // What Kafka keeps together stays together: one order's (or customer's) events form one sequence.
                .registerSequencingPolicy(KAFKA_PUBLISHER, config -> new EventKeys())
                .registerSequencingPolicy(ANALYTICS, config -> new EventKeys())
                .registerSequencingPolicy(NOTIFICATIONS, config -> new EventKeys())
                // A handler that fails in the fulfillment saga or the delivery-address projection fails the batch, and
                // the processor retries it with back-off: Axon's default handler would log the error and go on, and
                // the event (an order's acceptance, a payment's outcome) would be skipped for good. These two have no
                // dead-letter queue (sagas cannot have one, and address versions must apply in order). ADR 0012.
                .registerListenerInvocationErrorHandler(FULFILLMENT, config -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler(DELIVERY_ADDRESS, config -> PropagatingErrorHandler.instance())
                .registerDeadLetterQueue(ORDER_SUMMARY, DeadLetterQueues.jpa(ORDER_SUMMARY))
                .registerDeadLetterQueue(CUSTOMER_PROFILE, DeadLetterQueues.jpa(CUSTOMER_PROFILE))
                .registerDeadLetterQueue(ANALYTICS, DeadLetterQueues.jpa(ANALYTICS))
                .registerDeadLetterQueue(NOTIFICATIONS, DeadLetterQueues.jpa(NOTIFICATIONS))
                // A replay starts the projection over, so it also forgets the letters parked by the old one. Each
                // invoker remembers which sequences it has parked (per segment, filled when it claims the segment),
                // so an event of an order with nothing parked costs no query of the queue.
                .registerDeadLetteringEventHandlerInvokerConfiguration(ORDER_SUMMARY,
                        (config, invoker) -> invoker.allowReset(true).enableSequenceIdentifierCache())
                .registerDeadLetteringEventHandlerInvokerConfiguration(CUSTOMER_PROFILE,
                        (config, invoker) -> invoker.allowReset(true).enableSequenceIdentifierCache())
                .registerDeadLetteringEventHandlerInvokerConfiguration(ANALYTICS,
                        (config, invoker) -> invoker.allowReset(true).enableSequenceIdentifierCache())
                .registerDeadLetteringEventHandlerInvokerConfiguration(NOTIFICATIONS,
                        (config, invoker) -> invoker.enableSequenceIdentifierCache()));
    }

    /**
     * A tracking processor with {@code segments} segments and one thread more than segments. Axon 4.13.0 runs the
     * last segment's worker in the thread that launches the workers; when the processor is paused at the moment the
     * launcher is about to become that worker, it frees the segment without giving its thread back, and a processor
     * started again finds no thread left and never claims the segment (seen as a paused-and-resumed processor that
     * reports RUNNING and does nothing). With a spare thread the launcher never becomes a worker itself.
     */
    private static TrackingEventProcessorConfiguration tracking(int segments) {
        return TrackingEventProcessorConfiguration.forParallelProcessing(segments + 1)
                .andInitialSegmentsCount(segments);
    }

    @SuppressWarnings("unchecked")
    private static StreamableKafkaMessageSource<String, byte[]> kafkaSource(BeanFactory beans, String name) {
        return beans.getBean(name, StreamableKafkaMessageSource.class);
    }

    private static PooledStreamingEventProcessor.Builder projection(PooledStreamingEventProcessor.Builder builder,
                                                                    int segments, int batchSize) {
        return builder.initialToken(StreamableMessageSource::createTailToken)
                .initialSegmentCount(segments)
                .batchSize(batchSize);
    }
}
