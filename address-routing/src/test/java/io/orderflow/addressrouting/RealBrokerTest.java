package io.orderflow.addressrouting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.infra.kafka.KafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What the router's tests on a real broker share: one broker with the platform's topics, customer events written as
 * the application's publisher writes them (JSON with Axon's headers), and a reader of committed records only, as
 * every consumer of the routed topics reads.
 */
abstract class RealBrokerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static KafkaCluster cluster;

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

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** A customer event as the publisher puts it on the customer topic: keyed by customer, with Axon's headers. */
    static ProducerRecord<String, byte[]> customerEvent(Object event) {
        try {
            byte[] value = JSON.writeValueAsBytes(event);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(CustomerEventsTopic.NAME,
                    JSON.readTree(value).get("customerId").asText(), value);
            record.headers().add("axon-message-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add("axon-message-type", event.getClass().getName().getBytes(StandardCharsets.UTF_8));
            record.headers().add("axon-message-revision", "1".getBytes(StandardCharsets.UTF_8));
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads only what a router committed, from the beginning, in a group of its own. */
    static KafkaConsumer<String, byte[]> committedReader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "address-routing-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
