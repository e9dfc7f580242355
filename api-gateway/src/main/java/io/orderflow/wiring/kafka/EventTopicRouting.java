package io.orderflow.wiring.kafka;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.producer.TopicResolver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which Kafka topic an event from the store is forwarded to: each context's published events go to that
 * context's topic, and anything else (internal events) stays in the store.
 */
public final class EventTopicRouting implements TopicResolver {

    private final Map<String, String> topicByContractPackage;

    EventTopicRouting(Map<String, String> topicByContractPackage) {
        this.topicByContractPackage = new LinkedHashMap<>(topicByContractPackage);
    }

    @Override
    public Optional<String> apply(EventMessage<?> event) {
        return topicFor(event.getPayloadType());
    }

    /** The topic that events of this type are forwarded to, if they leave the store at all. */
    public Optional<String> topicFor(Class<?> payloadType) {
        return Optional.ofNullable(topicByContractPackage.get(payloadType.getPackageName()));
    }
}
