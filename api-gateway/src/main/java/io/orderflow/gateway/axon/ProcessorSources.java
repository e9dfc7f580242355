package io.orderflow.gateway.axon;

import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentProcessors;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.projections.api.ProjectionProcessors;

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
            FulfillmentProcessors.FULFILLMENT, List.of(OrderEventsTopic.NAME, FulfillmentEventsTopic.NAME),
            FulfillmentProcessors.DELIVERY_ADDRESS, List.of(CustomerEventsTopic.NAME),
            ProjectionProcessors.ANALYTICS, List.of(OrderEventsTopic.NAME, FulfillmentEventsTopic.NAME),
            ProjectionProcessors.NOTIFICATIONS, List.of(OrderEventsTopic.NAME, CustomerEventsTopic.NAME));

    /** Why a processor may not be replayed, for those that may not. */
    private static final Map<String, String> NOT_REPLAYABLE = Map.of(
            KAFKA_PUBLISHER, "replaying the publisher would send the whole event store to Kafka again",
            FulfillmentProcessors.FULFILLMENT, "sagas cannot be replayed: they would act again",
            FulfillmentProcessors.DELIVERY_ADDRESS, "the delivery-address projection announces the addresses "
                    + "that waiting orders need; a replay would announce them again",
            ProjectionProcessors.NOTIFICATIONS, "notifications are side effects and are never replayed");

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
