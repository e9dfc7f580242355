package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.infra.kafka.Topics;
import io.orderflow.order.api.OrderAcceptedEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.kafka.eventhandling.HeaderUtils;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract evolution (SCENARIOS.md S5): revision-1 and revision-2 OrderAcceptedEvents on one topic, read side by
 * side by a consumer built for revision 1 and one built for revision 2; and revision-1 events in the store replay
 * as revision 2 through the upcaster. Also the contracts served at /api/contracts.
 */
class ContractEvolutionIT extends EmbeddedSystemTest {

    private static final String TYPE = OrderAcceptedEvent.class.getName();
    private static final ObjectMapper LENIENT = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Value("${axon.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Autowired
    KafkaMessageConverter<String, byte[]> converter;

    @Autowired
    EventStore eventStore;

    /** What a consumer written against revision 1 knows of the event. */
    record OrderAcceptedV1(UUID orderId, UUID customerId, BigDecimal totalAmount, String currency,
                           int contractVersion) {
    }

    @Test
    void givenRevisionOneAndTwoRecordsOnTheTopic_whenOldAndNewConsumersReadSideBySide_thenBothUnderstandAll()
            throws Exception {
        Map<String, Instant> oldRecords = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                String orderId = UUID.randomUUID().toString();
                Instant at = Instant.parse("2026-01-0" + (i + 1) + "T10:00:00Z");
                producer.send(revisionOneRecord(orderId, at)).get();
                oldRecords.put(orderId, at);
            }
        }
        Set<String> newOrders = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            newOrders.add(http.postJson("/api/orders", Orders.oneBag()).json().get("orderId").asText());
        }
        Set<String> expected = new HashSet<>(oldRecords.keySet());
        expected.addAll(newOrders);

        Map<String, OrderAcceptedV1> readByOld = new HashMap<>();
        Map<String, OrderAcceptedEvent> readByNew = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((!readByOld.keySet().containsAll(expected) || !readByNew.keySet().containsAll(expected))
                && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : readTopic()) {
                if (!TYPE.equals(header(record, "axon-message-type"))) {
                    continue;
                }
                // The old consumer: plain JSON into its revision-1 view, ignoring fields it does not know.
                OrderAcceptedV1 old = LENIENT.readValue(record.value(), OrderAcceptedV1.class);
                readByOld.put(old.orderId().toString(), old);
                // The new consumer: the application's converter, which applies the upcaster chain.
                converter.readKafkaMessage(record).map(EventMessage::getPayload)
                        .filter(OrderAcceptedEvent.class::isInstance).map(OrderAcceptedEvent.class::cast)
                        .ifPresent(event -> readByNew.put(event.orderId().toString(), event));
            }
        }

        System.out.printf("%n=== S5: contract evolution on %s ===%n| consumer | records understood |%n"
                        + "| built for revision 1 | %d |%n| built for revision 2 | %d |%n"
                        + "| revision-1 records written | %d |%n| revision-2 records written | %d |%n",
                Topics.ORDER_EVENTS, readByOld.size(), readByNew.size(), oldRecords.size(), newOrders.size());
        assertThat(readByOld.keySet()).containsAll(expected);
        assertThat(readByNew.keySet()).containsAll(expected);
        oldRecords.forEach((orderId, at) -> {
            assertThat(readByNew.get(orderId).acceptedAt()).as("upcast from the record's timestamp").isEqualTo(at);
            assertThat(readByNew.get(orderId).contractVersion()).isEqualTo(2);
            assertThat(readByOld.get(orderId).contractVersion()).isEqualTo(1);
        });
        newOrders.forEach(orderId -> {
            assertThat(readByNew.get(orderId).acceptedAt()).isNotNull();
            assertThat(readByOld.get(orderId).contractVersion()).as("the old consumer reads revision 2 too")
                    .isEqualTo(2);
        });
    }

    @Test
    void givenARevisionOneEventInTheStore_whenItIsReadBack_thenItIsRevisionTwo() {
        String orderId = UUID.randomUUID().toString();
        Instant storedAt = Instant.parse("2025-12-24T18:00:00Z");
        jdbc.update("""
                INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type,
                    event_identifier, payload_type, payload_revision, payload, meta_data, time_stamp)
                VALUES (nextval('domain_event_entry_seq'), ?, 0, 'Order', ?, ?, '1', ?, ?, ?)""",
                orderId, UUID.randomUUID().toString(), TYPE, revisionOnePayload(orderId).getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8), storedAt.toString());

        List<? extends EventMessage<?>> events = eventStore.readEvents(orderId).asStream().toList();

        assertThat(events).singleElement().satisfies(event -> {
            OrderAcceptedEvent accepted = (OrderAcceptedEvent) event.getPayload();
            assertThat(accepted.acceptedAt()).isEqualTo(storedAt);
            assertThat(accepted.contractVersion()).isEqualTo(2);
            assertThat(accepted.totalAmount()).isEqualByComparingTo("19.99");
        });
    }

    @Test
    void theContractsAreServedWithTheirTopic() {
        JsonNode contracts = http.get("/api/contracts").json();
        List<String> revisions = new java.util.ArrayList<>();
        contracts.forEach(c -> {
            if (c.get("event").asText().equals("OrderAcceptedEvent")) {
                revisions.add(c.get("revision").asText());
                assertThat(c.get("topic").asText()).isEqualTo(Topics.ORDER_EVENTS);
            }
        });
        assertThat(revisions).containsExactly("1", "2");
        assertThat(contracts.findValuesAsText("event")).contains("CustomerRegisteredEvent", "OrderCancelledEvent");

        JsonNode v2 = http.get("/api/contracts/OrderAcceptedEvent/2").json();
        assertThat(v2.get("properties").has("acceptedAt")).isTrue();
        assertThat(http.get("/api/contracts/OrderAcceptedEvent/9").status()).isEqualTo(404);
    }

    private static ProducerRecord<String, byte[]> revisionOneRecord(String orderId, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("axon-message-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("axon-message-type", TYPE.getBytes(StandardCharsets.UTF_8));
        headers.add("axon-message-revision", "1".getBytes(StandardCharsets.UTF_8));
        headers.add("axon-message-timestamp", HeaderUtils.toBytes(at.toEpochMilli()));
        headers.add("axon-message-aggregate-id", orderId.getBytes(StandardCharsets.UTF_8));
        headers.add("axon-message-aggregate-seq", HeaderUtils.toBytes(0L));
        headers.add("axon-message-aggregate-type", "Order".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.ORDER_EVENTS, null, orderId,
                revisionOnePayload(orderId).getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Exactly what the first release wrote: no acceptedAt, contractVersion 1. */
    private static String revisionOnePayload(String orderId) {
        return """
                {"orderId":"%s","customerId":"%s",
                 "lines":[{"sku":"SKU-1","name":"Espresso beans, 1 kg","quantity":1,"unitPrice":19.99,"lineTotal":19.99}],
                 "totalAmount":19.99,"currency":"EUR",
                 "deliveryAddress":{"street":"Hauptstrasse 1","city":"Berlin","postalCode":"10115","country":"DE"},
                 "addressVersion":null,"contractVersion":1}""".formatted(orderId, UUID.randomUUID());
    }

    private List<ConsumerRecord<String, byte[]>> readTopic() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ORDER_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
