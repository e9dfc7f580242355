package io.orderflow.gateway.axon;

import io.orderflow.infra.kafka.Topics;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each event processor reads from, and which of them an operator may replay; for the operations API.
 */
public final class ProcessorSources {

    /** The processing group under which the Kafka extension registers its publisher. */
    public static final String KAFKA_PUBLISHER = EventProcessorsConfiguration.KAFKA_PUBLISHER;

    private static final Map<String, List<String>> KAFKA_TOPICS = Map.of(
            EventProcessorsConfiguration.FULFILLMENT, List.of(Topics.ORDER_EVENTS, Topics.FULFILLMENT_EVENTS),
            EventProcessorsConfiguration.DELIVERY_ADDRESS, List.of(Topics.CUSTOMER_EVENTS),
            EventProcessorsConfiguration.ANALYTICS, List.of(Topics.ORDER_EVENTS, Topics.FULFILLMENT_EVENTS),
            EventProcessorsConfiguration.NOTIFICATIONS, List.of(Topics.ORDER_EVENTS, Topics.CUSTOMER_EVENTS));

    /** Why a processor may not be replayed, for those that may not. */
    private static final Map<String, String> NOT_REPLAYABLE = Map.of(
            KAFKA_PUBLISHER, "replaying the publisher would send the whole event store to Kafka again",
            EventProcessorsConfiguration.FULFILLMENT, "sagas cannot be replayed: they would act again",
            EventProcessorsConfiguration.DELIVERY_ADDRESS, "the delivery-address projection announces the addresses "
                    + "that waiting orders need; a replay would announce them again",
            EventProcessorsConfiguration.NOTIFICATIONS, "notifications are side effects and are never replayed");

    private ProcessorSources() {
    }

    /** The Kafka topics the processor reads, or an empty list if it reads the event store. */
    public static List<String> kafkaTopicsOf(String processor) {
        return KAFKA_TOPICS.getOrDefault(processor, List.of());
    }

    /** Why the processor may not be replayed, or null if it may. */
    public static String whyNotReplayable(String processor) {
        return NOT_REPLAYABLE.get(processor);
    }

    /** The processors whose handlers park failing events in the dead-letter queue. */
    public static Set<String> deadLettering() {
        return Set.copyOf(EventProcessorsConfiguration.DEAD_LETTERING);
    }
}
