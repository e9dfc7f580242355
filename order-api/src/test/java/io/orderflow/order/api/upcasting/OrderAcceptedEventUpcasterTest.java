package io.orderflow.order.api.upcasting;

import io.orderflow.order.api.OrderAcceptedEvent;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A revision-1 OrderAcceptedEvent, exactly as the first release stored it, reads as revision 2. */
class OrderAcceptedEventUpcasterTest {

    static final String REVISION_1_PAYLOAD = """
            {"orderId":"6f1c3a52-8d0e-4c57-9a3e-1d2b3c4d5e6f","customerId":"0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b",
             "lines":[{"sku":"SKU-1","name":"Espresso beans, 1 kg","quantity":2,"unitPrice":19.99,"lineTotal":39.98}],
             "totalAmount":39.98,"currency":"EUR",
             "deliveryAddress":{"street":"Hauptstrasse 1","city":"Berlin","postalCode":"10115","country":"DE"},
             "addressVersion":null,"contractVersion":1}""";

    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void revisionOneGetsItsTimestampAsAcceptedAtAndBecomesRevisionTwo() {
        Instant storedAt = Instant.parse("2026-01-02T03:04:05Z");
        IntermediateEventRepresentation stored = new InitialEventRepresentation(new GenericDomainEventEntry<>(
                "Order", "6f1c3a52-8d0e-4c57-9a3e-1d2b3c4d5e6f", 0, "event-1", storedAt,
                OrderAcceptedEvent.class.getName(), "1", REVISION_1_PAYLOAD, "{}"), serializer);

        List<IntermediateEventRepresentation> upcast =
                new OrderAcceptedEventUpcaster().upcast(Stream.of(stored)).toList();

        assertThat(upcast).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo("2");
            OrderAcceptedEvent payload = serializer.deserialize(new SimpleSerializedObject<>(
                    event.getData(com.fasterxml.jackson.databind.JsonNode.class).getData(),
                    com.fasterxml.jackson.databind.JsonNode.class, event.getType()));
            assertThat(payload.acceptedAt()).isEqualTo(storedAt);
            assertThat(payload.contractVersion()).isEqualTo(2);
            assertThat(payload.totalAmount()).isEqualByComparingTo(new BigDecimal("39.98"));
            assertThat(payload.deliveryAddress().city()).isEqualTo("Berlin");
        });
    }

    @Test
    void aRevisionOneEventFromKafkaWithItsEpochMillisTimestampIsUpcastToo() {
        Instant sentAt = Instant.parse("2026-02-03T04:05:06.789Z");
        // The Kafka extension builds the event data with the record's timestamp header as a number.
        IntermediateEventRepresentation fromKafka = new InitialEventRepresentation(new GenericDomainEventEntry<>(
                "Order", "6f1c3a52-8d0e-4c57-9a3e-1d2b3c4d5e6f", 0, "event-1", sentAt.toEpochMilli(),
                OrderAcceptedEvent.class.getName(), "1", REVISION_1_PAYLOAD, "{}"), serializer);

        IntermediateEventRepresentation upcast =
                new OrderAcceptedEventUpcaster().upcast(Stream.of(fromKafka)).toList().get(0);

        assertThat(upcast.getData(com.fasterxml.jackson.databind.JsonNode.class).getData().get("acceptedAt")
                .asText()).isEqualTo(sentAt.toString());
    }

    @Test
    void revisionTwoPassesUnchanged() {
        IntermediateEventRepresentation current = new InitialEventRepresentation(new GenericDomainEventEntry<>(
                "Order", "id", 0, "event-2", Instant.now(), OrderAcceptedEvent.class.getName(), "2", "{}", "{}"),
                serializer);

        assertThat(new OrderAcceptedEventUpcaster().upcast(Stream.of(current)).toList())
                .singleElement().satisfies(event -> assertThat(event.getType().getRevision()).isEqualTo("2"));
    }
}
