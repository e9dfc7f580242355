package io.orderflow.contractcheck;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a sample event of an old revision through the upcasters, as Axon does when it reads a stored event or a
 * Kafka record: the proof that an upcaster for that revision exists and what it makes of the event.
 */
final class UpcastProbe {

    /** More steps than any real chain has; a chain that still moves after these is going round in circles. */
    private static final int MAX_PASSES = 20;
    private static final JacksonSerializer SERIALIZER = JacksonSerializer.defaultSerializer();

    private UpcastProbe() {
    }

    /**
     * What the upcasters made of the sample.
     *
     * @param events  how many events came out (an upcaster may drop or split one)
     * @param type    the type and revision of the (first) event that came out
     * @param payload its payload
     */
    record Outcome(int events, SerializedType type, JsonNode payload) {
    }

    static Outcome run(List<EventUpcaster> upcasters, String eventType, String revision, JsonNode sample) {
        IntermediateEventRepresentation representation = new InitialEventRepresentation(
                new SampleEvent(eventType, revision, sample.toString().getBytes(StandardCharsets.UTF_8)), SERIALIZER);
        EventUpcasterChain chain = new EventUpcasterChain(upcasters);
        // A single pass runs the upcasters in their given order; further passes make the outcome independent of it.
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<IntermediateEventRepresentation> upcast = chain.upcast(Stream.of(representation)).toList();
            if (upcast.size() != 1) {
                return new Outcome(upcast.size(), upcast.isEmpty() ? null : upcast.get(0).getType(),
                        upcast.isEmpty() ? null : upcast.get(0).getData(JsonNode.class).getData());
            }
            boolean moved = !upcast.get(0).getType().equals(representation.getType());
            representation = upcast.get(0);
            if (!moved) {
                break;
            }
        }
        return new Outcome(1, representation.getType(), representation.getData(JsonNode.class).getData());
    }

    /**
     * A stored event as the event store hands it to the upcasters. Our own rather than Axon's entry classes, whose
     * JPA annotations would have to be on the compiler's class path of a module that has no use for JPA.
     */
    private record SampleEvent(String payloadType, String payloadRevision, byte[] payloadJson)
            implements DomainEventData<byte[]> {

        @Override
        public String getType() {
            return "ContractCheck";
        }

        @Override
        public String getAggregateIdentifier() {
            return "contract-check-sample";
        }

        @Override
        public long getSequenceNumber() {
            return 0;
        }

        @Override
        public String getEventIdentifier() {
            return "contract-check-event";
        }

        @Override
        public Instant getTimestamp() {
            return SchemaInstances.SAMPLE_TIME;
        }

        @Override
        public SerializedObject<byte[]> getMetaData() {
            return new SimpleSerializedObject<>("{}".getBytes(StandardCharsets.UTF_8), byte[].class,
                    MetaData.class.getName(), null);
        }

        @Override
        public SerializedObject<byte[]> getPayload() {
            return new SimpleSerializedObject<>(payloadJson, byte[].class, payloadType, payloadRevision);
        }
    }
}
