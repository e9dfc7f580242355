package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.order.api.OrderEventsTopic;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.contractcheck.CommittedContract;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.order.api.OrderAcceptedEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.HeaderUtils;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.Headers;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Contract evolution on real Kafka and the real event store (ADR 0005). Revision-1 {@code OrderAcceptedEvent}s, as
 * the first release wrote them, and revision-2 ones from orders placed now share the topic; a consumer built for
 * revision 1 and one built for revision 2 read it side by side, and each understands every record; every record
 * conforms to the committed schema of the revision its headers name. A revision-1 event in the store replays as
 * revision 2.
 */
class ContractEvolutionIT extends EmbeddedSystemTest {

    private static final String TYPE = OrderAcceptedEvent.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How a consumer written against revision 1 reads: fields it does not know (acceptedAt) are ignored. */
    private static final ObjectMapper REVISION_1_READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);


    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    @Autowired
    org.axonframework.config.Configuration axonConfiguration;

    @Autowired
    KafkaMessageConverter<String, byte[]> applicationConverter;

    @Autowired
    EventStore eventStore;

    /** Revision 1 of the event, field for field, as a consumer team copied it from the revision-1 schema. */
    record OrderAcceptedV1(UUID orderId, UUID customerId, List<LineV1> lines, BigDecimal totalAmount,
                           String currency, AddressV1 deliveryAddress, Long addressVersion, int contractVersion) {
    }

    record LineV1(String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }

    record AddressV1(String street, String city, String postalCode, String country) {
    }

    /** What one consumer made of the topic. */
    record Tally(Map<String, Object> readById, Map<String, Integer> byRevision, List<String> failures,
                 long otherRecords, long millis) {
    }

    @Test
    void givenRevisionOneAndTwoRecordsOnTheTopic_whenOldAndNewConsumersReadSideBySide_thenBothProcessEveryRecord()
            throws Exception {
        // As the first release wrote them: revision-1 payloads (no acceptedAt), with the extension's headers.
        Map<String, Instant> revisionOneIds = new LinkedHashMap<>();
        Map<String, String> revisionOneOrders = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(oldPublisher(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 1; i <= 3; i++) {
                String messageId = UUID.randomUUID().toString();
                String orderId = UUID.randomUUID().toString();
                Instant acceptedAt = Instant.parse("2026-01-0" + i + "T10:00:00.123Z");
                producer.send(revisionOneRecord(messageId, orderId, acceptedAt)).get();
                revisionOneIds.put(messageId, acceptedAt);
                revisionOneOrders.put(messageId, orderId);
            }
        }
        // Placed now: the application publishes them as revision 2.
        List<String> newOrders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Http.Response placed = http.postJson("/api/orders", Orders.oneBag());
            assertThat(placed.status()).as(placed.body()).isEqualTo(201);
            newOrders.add(placed.json().get("orderId").asText());
        }
        Map<String, String> revisionTwoIds = await().atMost(Duration.ofSeconds(30)).until(
                () -> messageIdsOf(newOrders), ids -> ids.size() == newOrders.size());

        // Both consumers read the whole topic up to here, concurrently, each as its own consumer group would.
        Map<TopicPartition, Long> end = endOffsets();
        DefaultKafkaMessageConverter revisionTwoConverter = DefaultKafkaMessageConverter.builder()
                .serializer(eventSerializer).upcasterChain(axonConfiguration.upcasterChain()).build();
        ExecutorService consumers = Executors.newFixedThreadPool(2);
        Future<Tally> v1Run = consumers.submit(() -> consume("revision-1-consumer", end, (record, tally) -> {
            OrderAcceptedV1 event = readAsRevisionOne(record.value());
            tally.readById().put(header(record, Headers.MESSAGE_ID), event);
        }));
        Future<Tally> v2Run = consumers.submit(() -> consume("revision-2-consumer", end, (record, tally) -> {
            EventMessage<?> message = revisionTwoConverter.readKafkaMessage(record).orElseThrow(
                    () -> new IllegalStateException(
                            "the converter skipped the record (docs/engineering-notes.md, trap 6)"));
            tally.readById().put(message.getIdentifier(), (OrderAcceptedEvent) message.getPayload());
        }));
        Tally v1 = v1Run.get();
        Tally v2 = v2Run.get();
        consumers.shutdown();

        System.out.printf("%n=== Contract evolution: two consumers side by side on %s ===%n"
                + "| consumer | OrderAcceptedEvent records processed | of revision 1 | of revision 2 | failures"
                + " | other records | ms |%n", OrderEventsTopic.NAME);
        printRow("built for revision 1 (plain JSON, unknown fields ignored)", v1);
        printRow("built for revision 2 (Axon converter with the upcaster chain)", v2);
        System.out.printf("revision-1 records written as the old release did: %d; orders placed now (revision 2): %d%n",
                revisionOneIds.size(), newOrders.size());

        // And each record is what the committed schema of the revision in its header says it is.
        int conforming = 0;
        for (OrderTopic.Record record : OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), OrderEventsTopic.NAME)) {
            if (TYPE.equals(record.headers().get(Headers.MESSAGE_TYPE))) {
                CommittedContract contract = committedContract(record.headers().get(Headers.MESSAGE_REVISION));
                assertThat(contract.violations(JSON.readTree(record.value())))
                        .as("record %s against %s", record.messageId(), contract.revision()).isEmpty();
                conforming++;
            }
        }
        System.out.printf("records that conform to the committed schema of the revision in their header: %d%n",
                conforming);
        assertThat(conforming).isGreaterThanOrEqualTo(revisionOneIds.size() + newOrders.size());
        ScenarioReport.record(new ScenarioReport.Row("S5", "contract evolution",
                "revision-1 records written as the old release did, revision 2 published by the application; a "
                        + "revision-1 and a revision-2 consumer side by side", v1.readById().size(), 0, 0, "-",
                v1.failures().isEmpty() && v2.failures().isEmpty()
                        && v1.readById().keySet().equals(v2.readById().keySet())
                        && v1.readById().keySet().containsAll(revisionOneIds.keySet())
                        && v1.readById().keySet().containsAll(revisionTwoIds.values()),
                "records per consumer: revision-1 consumer " + v1.readById().size() + " " + v1.byRevision()
                        + ", failures " + v1.failures().size() + "; revision-2 consumer " + v2.readById().size()
                        + " " + v2.byRevision() + ", failures " + v2.failures().size() + "; " + conforming
                        + " records conform to the committed schema of their revision; upcasting on replay from "
                        + "the store is a test of its own"));

        assertThat(v1.failures()).as("failures of the revision-1 consumer").isEmpty();
        assertThat(v2.failures()).as("failures of the revision-2 consumer").isEmpty();
        assertThat(v1.readById().keySet()).as("both processed the same records").isEqualTo(v2.readById().keySet())
                .containsAll(revisionOneIds.keySet()).containsAll(revisionTwoIds.values());
        assertThat(v1.byRevision()).isEqualTo(v2.byRevision());
        assertThat(v2.byRevision().get("1")).as("the revision-1 records are exactly the ones written as the old "
                + "release did").isEqualTo(revisionOneIds.size());

        revisionOneIds.forEach((messageId, acceptedAt) -> {
            OrderAcceptedEvent upcast = (OrderAcceptedEvent) v2.readById().get(messageId);
            assertThat(upcast.orderId().toString()).isEqualTo(revisionOneOrders.get(messageId));
            assertThat(upcast.acceptedAt()).as("filled from the record's timestamp").isEqualTo(acceptedAt);
            assertThat(upcast.contractVersion()).isEqualTo(2);
            assertThat(upcast.totalAmount()).isEqualByComparingTo("19.99");
            assertThat(upcast.deliveryAddress().city()).isEqualTo("Berlin");
            OrderAcceptedV1 old = (OrderAcceptedV1) v1.readById().get(messageId);
            assertThat(old.contractVersion()).isEqualTo(1);
            assertThat(old.lines()).singleElement().satisfies(line -> assertThat(line.sku()).isEqualTo("SKU-1"));
        });
        revisionTwoIds.forEach((orderId, messageId) -> {
            OrderAcceptedEvent current = (OrderAcceptedEvent) v2.readById().get(messageId);
            assertThat(current.orderId().toString()).isEqualTo(orderId);
            assertThat(current.acceptedAt()).isNotNull();
            assertThat(current.contractVersion()).isEqualTo(2);
            OrderAcceptedV1 old = (OrderAcceptedV1) v1.readById().get(messageId);
            assertThat(old.orderId().toString()).as("the old consumer reads revision 2, ignoring acceptedAt")
                    .isEqualTo(orderId);
            assertThat(old.contractVersion()).isEqualTo(2);
            assertThat(old.totalAmount()).isEqualByComparingTo(current.totalAmount());
        });
    }

    @Test
    void givenTheApplicationsKafkaConverter_thenItUpcastsRevisionOneRecordsToo() {
        String messageId = UUID.randomUUID().toString();
        Instant acceptedAt = Instant.parse("2025-11-30T08:00:00Z");
        ProducerRecord<String, byte[]> written = revisionOneRecord(messageId, UUID.randomUUID().toString(), acceptedAt);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(written.topic(), 0, 0L, written.key(),
                written.value());
        written.headers().forEach(header -> record.headers().add(header));

        // The extension's auto-configuration builds the application's converter with Axon's upcaster chain.
        EventMessage<?> message = applicationConverter.readKafkaMessage(record).orElseThrow();

        OrderAcceptedEvent event = (OrderAcceptedEvent) message.getPayload();
        assertThat(event.acceptedAt()).isEqualTo(acceptedAt);
        assertThat(event.contractVersion()).isEqualTo(2);
    }

    @Test
    void givenARevisionOneEventInTheStore_whenItsAggregateIsReadBack_thenItIsRevisionTwo() {
        String orderId = UUID.randomUUID().toString();
        Instant storedAt = Instant.parse("2025-12-24T18:00:00Z");
        // Exactly the row the first release wrote: payload and metadata as bytea, payload_revision '1'.
        jdbc.update("""
                        INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type,
                            event_identifier, payload_type, payload_revision, payload, meta_data, time_stamp)
                        VALUES (nextval('domain_event_entry_seq'), ?, 0, 'Order', ?, ?, '1', ?, ?, ?)""",
                orderId, UUID.randomUUID().toString(), TYPE,
                revisionOnePayload(orderId).getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                storedAt.toString());

        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(orderId).asStream().toList();

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getPayload()).isInstanceOf(OrderAcceptedEvent.class);
            OrderAcceptedEvent accepted = (OrderAcceptedEvent) event.getPayload();
            assertThat(accepted.acceptedAt()).as("filled from the stored timestamp").isEqualTo(storedAt);
            assertThat(accepted.contractVersion()).isEqualTo(2);
            assertThat(accepted.totalAmount()).isEqualByComparingTo("19.99");
            assertThat(accepted.lines()).singleElement().satisfies(line -> assertThat(line.quantity()).isOne());
        });
        assertThat(jdbc.queryForObject("SELECT payload_revision FROM domain_event_entry WHERE aggregate_identifier = ?",
                String.class, orderId)).as("upcasting happens on read; the stored event is never rewritten")
                .isEqualTo("1");
    }

    private static void printRow(String consumer, Tally tally) {
        System.out.printf("| %s | %d | %d | %d | %d | %d | %d |%n", consumer, tally.readById().size(),
                tally.byRevision().getOrDefault("1", 0), tally.byRevision().getOrDefault("2", 0),
                tally.failures().size(), tally.otherRecords(), tally.millis());
    }

    private Tally consume(String name, Map<TopicPartition, Long> end,
                          BiConsumer<ConsumerRecord<String, byte[]>, Tally> handler) {
        long started = System.nanoTime();
        Tally tally = new Tally(new ConcurrentHashMap<>(), new TreeMap<>(), new ArrayList<>(), 0, 0);
        long other = 0;
        Properties props = new Properties();
        props.putAll(kafka(KafkaPrincipal.INSPECTOR));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(end.keySet());
            consumer.seekToBeginning(end.keySet());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    // The headers say what a record is before its payload is touched.
                    if (!TYPE.equals(header(record, Headers.MESSAGE_TYPE))) {
                        other++;
                        continue;
                    }
                    String revision = header(record, Headers.MESSAGE_REVISION);
                    tally.byRevision().merge(revision, 1, Integer::sum);
                    try {
                        handler.accept(record, tally);
                    } catch (RuntimeException e) {
                        tally.failures().add(record.partition() + "@" + record.offset() + " (revision " + revision
                                + "): " + e);
                    }
                }
            }
        }
        return new Tally(tally.readById(), tally.byRevision(), tally.failures(), other,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static CommittedContract committedContract(String revision) throws IOException {
        String fileName = CommittedContract.fileName(OrderAcceptedEvent.class.getSimpleName(), revision);
        try (InputStream in = ContractEvolutionIT.class.getResourceAsStream("/contracts/" + fileName)) {
            assertThat(in).as(fileName + " on the class path").isNotNull();
            return CommittedContract.read(fileName, in);
        }
    }

    private static OrderAcceptedV1 readAsRevisionOne(byte[] payload) {
        try {
            return REVISION_1_READER.readValue(payload, OrderAcceptedV1.class);
        } catch (IOException e) {
            throw new IllegalStateException("the revision-1 consumer cannot read " + new String(payload,
                    StandardCharsets.UTF_8), e);
        }
    }

    /** The message id of each order's OrderAcceptedEvent on the topic, with the revision and type headers checked. */
    private Map<String, String> messageIdsOf(List<String> orderIds) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (OrderTopic.Record record : OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), OrderEventsTopic.NAME)) {
            if (orderIds.contains(record.key()) && TYPE.equals(record.headers().get(Headers.MESSAGE_TYPE))) {
                assertThat(record.headers()).containsEntry(Headers.MESSAGE_REVISION, OrderAcceptedEvent.REVISION);
                ids.put(record.key(), record.messageId());
            }
        }
        return ids;
    }

    private Map<TopicPartition, Long> endOffsets() {
        Properties props = new Properties();
        props.putAll(kafka(KafkaPrincipal.INSPECTOR));
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(OrderEventsTopic.NAME, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return Map.copyOf(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        }
    }

    /** A record as the first release's publisher wrote it: the extension's headers, revision 1, no acceptedAt. */
    private static ProducerRecord<String, byte[]> revisionOneRecord(String messageId, String orderId, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.MESSAGE_ID, bytes(messageId));
        headers.add(Headers.MESSAGE_TYPE, bytes(TYPE));
        headers.add(Headers.MESSAGE_REVISION, bytes("1"));
        headers.add(Headers.MESSAGE_TIMESTAMP, HeaderUtils.toBytes(at.toEpochMilli()));
        headers.add(Headers.AGGREGATE_ID, bytes(orderId));
        headers.add(Headers.AGGREGATE_SEQ, HeaderUtils.toBytes(0L));
        headers.add(Headers.AGGREGATE_TYPE, bytes("Order"));
        headers.add(HeaderUtils.generateMetadataKey("traceId"), bytes("trace-" + messageId));
        return new ProducerRecord<>(OrderEventsTopic.NAME, null, orderId, bytes(revisionOnePayload(orderId)), headers);
    }

    /** Exactly what the first release serialized: no acceptedAt, contractVersion 1. */
    private static String revisionOnePayload(String orderId) {
        return """
                {"orderId":"%s","customerId":"%s",
                 "lines":[{"sku":"SKU-1","name":"Espresso beans, 1 kg","quantity":1,"unitPrice":19.99,
                           "lineTotal":19.99}],
                 "totalAmount":19.99,"currency":"EUR",
                 "deliveryAddress":{"street":"Hauptstrasse 1","city":"Berlin","postalCode":"10115","country":"DE"},
                 "addressVersion":null,"contractVersion":1}""".formatted(orderId, UUID.randomUUID());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The first release's publisher: the application's principal, the only one that may write the order topic. */
    private Map<String, Object> oldPublisher() {
        Map<String, Object> settings = new java.util.HashMap<>(kafka(KafkaPrincipal.APP));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return settings;
    }
}
