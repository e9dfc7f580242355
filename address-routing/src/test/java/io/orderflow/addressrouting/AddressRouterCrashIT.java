package io.orderflow.addressrouting;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.infra.kafka.ChildJvmCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router killed with SIGKILL while address changes flow, then started again on the same state: every profile
 * version reaches both topics exactly once (exactly-once processing: the killed router's open transaction is
 * aborted, and what it had committed is not routed again).
 */
class AddressRouterCrashIT extends RealBrokerTest {

    private static final int CUSTOMERS = 20;
    private static final int VERSIONS = 6;

    @Test
    void killedWhileAddressesChange_thenStarted_everyVersionIsRoutedOnceToEachTopic() throws Exception {
        List<CustomerId> customers = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            customers.add(new CustomerId(UUID.randomUUID()));
        }
        Map<String, List<ConsumerRecord<String, byte[]>>> routed = new HashMap<>();
        int expected = CUSTOMERS * VERSIONS;
        Process first = router("first");
        Process second = null;
        try (KafkaConsumer<String, byte[]> consumer = committedReader()) {
            consumer.subscribe(List.of(AddressTopics.SHIPPING, AddressTopics.BILLING));
            // The changes flow for about six seconds, before, during and after the kill.
            CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> sendChanges(customers));

            // Killed once a quarter of the routed records were read, while the rest are still being sent.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (count(routed) < 2 * expected / 4 && System.nanoTime() < deadline) {
                poll(consumer, routed);
            }
            int beforeKill = count(routed);
            long killedAt = System.nanoTime();
            first.destroyForcibly().waitFor();
            second = router("second");
            changes.get();

            long firstAfterRestart = -1;
            deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (count(routed) < 2 * expected && System.nanoTime() < deadline) {
                int seen = count(routed);
                poll(consumer, routed);
                if (firstAfterRestart < 0 && count(routed) > seen && System.nanoTime() > killedAt) {
                    firstAfterRestart = System.nanoTime();
                }
            }
            // Anything repeated would arrive now.
            for (int i = 0; i < 10; i++) {
                poll(consumer, routed);
            }

            int lost = 0;
            int duplicated = 0;
            for (String topic : List.of(AddressTopics.SHIPPING, AddressTopics.BILLING)) {
                List<String> versions = routed.getOrDefault(topic, List.of()).stream()
                        .map(AddressRouterCrashIT::customerAndVersion).toList();
                Set<String> distinct = new TreeSet<>(versions);
                duplicated += versions.size() - distinct.size();
                lost += expected - distinct.size();
            }
            System.out.printf("Address router killed with SIGKILL after %d of %d routed records had been read; next "
                            + "routed record %.1f s after the kill; lost %d, duplicated %d%n", beforeKill,
                    2 * expected, (firstAfterRestart - killedAt) / 1e9, lost, duplicated);
            assertThat(lost).as("versions lost").isZero();
            assertThat(duplicated).as("versions routed twice").isZero();
            for (String topic : List.of(AddressTopics.SHIPPING, AddressTopics.BILLING)) {
                assertThat(routed.get(topic)).hasSize(expected);
            }
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor();
            }
        }
    }

    /** The router as its own process, on the same state directory each time, as a deployment would run it. */
    private static Process router(String name) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ChildJvmCommand.forCurrentJvm(
                AddressRoutingApplication.class.getName(), List.of("-Xmx256m"), List.of()));
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        builder.environment().put("ORDERFLOW_HOME", dir.resolve("router-home").toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(dir.resolve("router-" + name + ".log").toFile());
        return builder.start();
    }

    private static void sendChanges(List<CustomerId> customers) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int version = 1; version <= VERSIONS; version++) {
                for (CustomerId customer : customers) {
                    PostalAddress address = new PostalAddress(version + " Change St", "Berlin", "10115", "DE");
                    Object event = version == 1
                            ? new CustomerRegisteredEvent(customer, "Ada", "ada@example.com", address, address, 1)
                            : new AddressChangedEvent(customer, version % 2 == 0 ? AddressKind.SHIPPING
                            : AddressKind.BILLING, address, version);
                    producer.send(customerEvent(event)).get();
                }
                Thread.sleep(1_000);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not send the address changes", e);
        }
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer,
                             Map<String, List<ConsumerRecord<String, byte[]>>> routed) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            routed.computeIfAbsent(record.topic(), t -> new ArrayList<>()).add(record);
        }
    }

    private static int count(Map<String, List<ConsumerRecord<String, byte[]>>> routed) {
        return routed.values().stream().mapToInt(List::size).sum();
    }

    private static String customerAndVersion(ConsumerRecord<String, byte[]> record) {
        try {
            JsonNode body = JSON.readTree(record.value());
            return body.get("customerId").asText() + "@" + body.get("version").asLong();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
