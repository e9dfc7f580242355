package io.orderflow.addressrouting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.BillingAddressChangedEvent;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import io.orderflow.infra.kafka.KafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router on a real broker with the platform's topics: exactly-once processing, committed output only, a stale
 * version dropped, and a restart that neither repeats nor loses a routed version.
 */
class AddressRoutingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PostalAddress HOME = new PostalAddress("1 Home St", "Berlin", "10115", "DE");
    private static final PostalAddress OFFICE = new PostalAddress("2 Office Rd", "Hamburg", "20095", "DE");
    private static final PostalAddress NEW_HOME = new PostalAddress("3 New Way", "Munich", "80331", "DE");
    private static final PostalAddress NEW_OFFICE = new PostalAddress("4 Tower Pl", "Cologne", "50667", "DE");

    @TempDir
    static Path dir;

    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = new KafkaCluster(dir.resolve("kafka"), 1);
        cluster.start();
        cluster.topicInitializer().apply();
    }

    @AfterAll
    static void stopBroker() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void routesEachKindToItsTopic_dropsAStaleVersion_andARestartNeitherRepeatsNorLosesOne() throws Exception {
        CustomerId customer = new CustomerId(UUID.randomUUID());
        Properties settings = AddressRoutingApplication.defaults(dir.resolve("home"));
        settings.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = producer();
             KafkaConsumer<String, byte[]> consumer = committedReader()) {
            consumer.subscribe(List.of(AddressTopics.SHIPPING, AddressTopics.BILLING));
            List<ConsumerRecord<String, byte[]>> routed = new ArrayList<>();

            KafkaStreams router = AddressRoutingApplication.start(settings);
            try {
                send(producer, new CustomerRegisteredEvent(customer, "Ada", "ada@example.com", HOME, OFFICE, 1));
                send(producer, new AddressChangedEvent(customer, AddressKind.SHIPPING, NEW_HOME, 2));
                send(producer, new AddressChangedEvent(customer, AddressKind.SHIPPING, HOME, 1)); // late: dropped
                awaitRecords(consumer, routed, 4);
            } finally {
                AddressRoutingApplication.stop(router);
            }
            // Written while the router is down, routed once it is back.
            send(producer, new AddressChangedEvent(customer, AddressKind.BILLING, NEW_OFFICE, 3));
            KafkaStreams restarted = AddressRoutingApplication.start(settings);
            try {
                awaitRecords(consumer, routed, 6);
                // Nothing more comes: no routed version is repeated after the restart.
                for (int i = 0; i < 10; i++) {
                    consumer.poll(Duration.ofMillis(300)).forEach(routed::add);
                }
            } finally {
                AddressRoutingApplication.stop(restarted);
            }

            List<Object> shipping = routed.stream().filter(r -> r.topic().equals(AddressTopics.SHIPPING))
                    .map(r -> read(r.value(), ShippingAddressChangedEvent.class)).map(Object.class::cast).toList();
            List<Object> billing = routed.stream().filter(r -> r.topic().equals(AddressTopics.BILLING))
                    .map(r -> read(r.value(), BillingAddressChangedEvent.class)).map(Object.class::cast).toList();
            System.out.printf("Address router on a real broker: %d shipping and %d billing records routed "
                    + "across one restart; 1 stale change dropped%n", shipping.size(), billing.size());
            assertThat(shipping).containsExactly(
                    new ShippingAddressChangedEvent(customer, HOME, 1),
                    new ShippingAddressChangedEvent(customer, NEW_HOME, 2),
                    new ShippingAddressChangedEvent(customer, NEW_HOME, 3));
            assertThat(billing).containsExactly(
                    new BillingAddressChangedEvent(customer, OFFICE, 1),
                    new BillingAddressChangedEvent(customer, OFFICE, 2),
                    new BillingAddressChangedEvent(customer, NEW_OFFICE, 3));
            assertThat(routed).extracting(ConsumerRecord::key).containsOnly(customer.toString());
        }
    }

    private static void awaitRecords(KafkaConsumer<String, byte[]> consumer,
                                     List<ConsumerRecord<String, byte[]>> routed, int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(routed::add);
            return routed.size() >= count;
        });
    }

    private static void send(KafkaProducer<String, byte[]> producer, Object event) throws Exception {
        String key = JSON.readTree(JSON.writeValueAsBytes(event)).get("customerId").asText();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(CustomerEventsTopic.NAME, key,
                JSON.writeValueAsBytes(event));
        record.headers().add("axon-message-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("axon-message-type", event.getClass().getName().getBytes(StandardCharsets.UTF_8));
        record.headers().add("axon-message-revision", "1".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads only what the router committed, as every consumer of its topics does. */
    private static KafkaConsumer<String, byte[]> committedReader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "address-routing-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
