package io.orderflow.wiring.axon;

import io.orderflow.wiring.kafka.EventKeys;
import io.orderflow.wiring.kafka.KafkaSourcesConfiguration.KafkaSources;
import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.wiring.processors.ProcessorDeclaration;
import io.orderflow.wiring.processors.ProcessorDeclaration.EventStore;
import io.orderflow.wiring.processors.ProcessorDeclaration.KafkaTopics;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Registers every declared processor ({@link ProcessorDeclaration}, one file each in
 * {@code io.orderflow.wiring.processors}) with Axon, each with a deliberate source and initial token: left to
 * Axon's default, a new processor's first token replays or skips the history without saying so. Every processor
 * starts at the beginning of its source: projections are built from the whole history, and no order accepted
 * before a consumer first ran is left out.
 */
@Configuration(proxyBeanMethods = false)
class EventProcessorsConfiguration {

    @Bean
    ConfigurerModule eventProcessors(ProcessorCatalog catalog, BeanFactory beans) {
        List<ProcessorDeclaration> declarations = catalog.all();
        return configurer -> {
            // Wakes the processors when events arrive instead of leaving them to poll every 500 ms.
            configurer.registerComponent(EventStoreWakeUp.class, config -> new EventStoreWakeUp(config.eventStore()));
            configurer.eventProcessing(processing -> declarations.forEach(declaration ->
                    register(processing, declaration, beans)));
        };
    }

    private static void register(EventProcessingConfigurer processing, ProcessorDeclaration declaration,
                                 BeanFactory beans) {
        String name = declaration.name();
        if (declaration.source() instanceof EventStore) {
            if (name.equals(ProcessorCatalog.KAFKA_PUBLISHER)) {
                // The Kafka extension registers its publisher's processor; only its settings are ours.
                processing.registerPooledStreamingEventProcessorConfiguration(name, (config, builder) -> builder
                        .messageSource(config.getComponent(EventStoreWakeUp.class))
                        .initialToken(StreamableMessageSource::createTailToken)
                        .initialSegmentCount(declaration.segments())
                        .batchSize(declaration.batchSize()));
            } else {
                processing.registerPooledStreamingEventProcessor(name,
                        config -> config.getComponent(EventStoreWakeUp.class),
                        (config, builder) -> builder.initialToken(StreamableMessageSource::createTailToken)
                                .initialSegmentCount(declaration.segments())
                                .batchSize(declaration.batchSize()));
            }
        } else if (declaration.source() instanceof KafkaTopics kafka) {
            // The sources are made when the processors are built, not injected: they need beans that need Axon's
            // configuration, which this module is part of.
            processing.registerTrackingEventProcessor(name,
                    config -> beans.getBean(KafkaSources.class).of(kafka.topics()),
                    config -> tracking(declaration.segments())
                            .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                            .andBatchSize(declaration.batchSize()));
        }
        if (declaration.keyedLikeKafka()) {
            // What Kafka keeps together stays together: one order's (or customer's) events form one sequence.
            processing.registerSequencingPolicy(name, config -> new EventKeys());
        }
        switch (declaration.failures()) {
            case PARK -> {
                processing.registerDeadLetterQueue(name, DeadLetterQueues.jpa(name));
                // A replay starts the projection over, so it also forgets the letters parked by the old one. Each
                // invoker remembers which sequences it has parked (per segment, filled when it claims the segment),
                // so an event of an order with nothing parked costs no query of the queue.
                processing.registerDeadLetteringEventHandlerInvokerConfiguration(name,
                        (config, invoker) -> invoker.allowReset(declaration.replayable())
                                .enableSequenceIdentifierCache());
            }
            // Axon's default handler would log the error and go on, and the event would be skipped for good.
            case STOP_AND_RETRY -> processing.registerListenerInvocationErrorHandler(name,
                    config -> PropagatingErrorHandler.instance());
            case KAFKA_PUBLISHER -> {
                // left as the Kafka extension configures it
            }
        }
    }

    /**
     * The most segments a tracking processor (the Kafka-sourced ones) may be split into on one instance: it runs a
     * thread per segment it processes, started only when it claims one.
     */
    static final int TRACKING_MAX_SEGMENTS = 8;

    /**
     * A tracking processor with {@code segments} segments and one thread more than it may ever have segments, so
     * that an operator can split its segments at run time (ADR 0033). Axon 4.13.0 runs the last segment's worker in
     * the thread that launches the workers; when the processor is paused at the moment the launcher is about to
     * become that worker, it frees the segment without giving its thread back, and a processor started again finds
     * no thread left and never claims the segment (seen as a paused-and-resumed processor that reports RUNNING and
     * does nothing). With a spare thread the launcher never becomes a worker itself.
     */
    private static TrackingEventProcessorConfiguration tracking(int segments) {
        return TrackingEventProcessorConfiguration
                .forParallelProcessing(Math.max(segments, TRACKING_MAX_SEGMENTS) + 1)
                .andInitialSegmentsCount(segments);
    }
}
