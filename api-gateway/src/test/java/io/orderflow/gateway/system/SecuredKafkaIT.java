package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.KafkaEndpoints;
import io.orderflow.gateway.testkit.process.AppProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The development run on a secured embedded cluster ({@code ORDERFLOW_KAFKA_SECURED=true}): SASL over TLS and ACLs
 * per principal. The application (publisher, processors, address router) runs as its principal with the settings
 * of {@code spring.kafka.*}, the topic step as its own, Kafka Connect as its own; an order completes, Connect's
 * connectors run, and an operator's tool reads the topics with the inspection principal's settings from
 * {@code endpoints.properties}, but may not write, and a client without credentials gets nothing.
 */
class SecuredKafkaIT {

    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void theWholeFlowRunsOnASecuredCluster_theInspectorReadsButCannotWrite_andNoCredentialsGetNothing()
            throws Exception {
        Path home = Path.of("target", "secured-kafka-" + UUID.randomUUID()).toAbsolutePath();
        try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home,
                Map.of("ORDERFLOW_KAFKA_SECURED", "true", "ORDERFLOW_CONNECT_EMBEDDED", "true"))) {
            long started = System.nanoTime();
            app.start(WAIT);
            long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Http http = app.http();
            Properties endpoints = app.endpoints();
            String bootstrap = endpoints.getProperty("kafka.bootstrap.servers");

            Fulfillment fulfillment = new Fulfillment(http);
            fulfillment.stockNewSku("SEC-1", "5.00", 10);
            UUID order = fulfillment.place(Fulfillment.order("SEC-1", 1, "DE"));
            assertThat(fulfillment.awaitEnd(order).get("status").asText()).isEqualTo("COMPLETED");
            // An order shipping to a profile version needs the address router, which signs in as its own
            // principal (the only one that may write the address topics).
            UUID customer = new Operations(http).registerCustomer("Secure Sam", "sam@example.com");
            assertThat(http.put("/api/customers/" + customer + "/shipping-address", "{\"street\": \"Rue de Rivoli 2\", "
                    + "\"city\": \"Paris\", \"postalCode\": \"75001\", \"country\": \"FR\"}").status())
                    .isEqualTo(200);
            UUID byVersion = fulfillment.place(Fulfillment.orderForVersion(customer, "SEC-1", 1, 1));
            assertThat(fulfillment.awaitEnd(byVersion).get("status").asText()).isEqualTo("COMPLETED");
            JsonNode connect = awaitConnectorsRunning(http);

            Map<String, Object> inspector = KafkaEndpoints.inspector(endpoints);
            assertThat(endpoints.getProperty("kafka.librdkafka.security.protocol")).isEqualTo("SASL_SSL");
            long onTopic = recordsOf(inspector, "orderflow.order-events", order.toString());
            assertThat(onTopic).as("the order's events read with the inspection principal").isGreaterThanOrEqualTo(5);

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings(inspector),
                    new StringSerializer(), new StringSerializer())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("orderflow.fulfillment-events",
                        order.toString(), "{}")).get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(AuthorizationException.class);
            }
            Map<String, Object> anonymous = new HashMap<>(Map.of("bootstrap.servers", bootstrap,
                    "default.api.timeout.ms", 5_000, "request.timeout.ms", 3_000));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(anonymous, new StringDeserializer(),
                    new StringDeserializer())) {
                assertThatThrownBy(() -> consumer.partitionsFor("orderflow.order-events", Duration.ofSeconds(5)))
                        .as("a client without credentials").isInstanceOf(org.apache.kafka.common.KafkaException.class);
            }
            System.out.printf("%n=== Secured Kafka: the application started in %d ms, order %s COMPLETED, %d of its "
                            + "records read by the inspector, connectors %s; the inspector's write and a client "
                            + "without credentials were refused ===%n", startMillis, order, onTopic,
                    connect.get("connectors").findValuesAsText("state"));
        }
    }

    private static Map<String, Object> producerSettings(Map<String, Object> base) {
        Map<String, Object> settings = new HashMap<>(base);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return settings;
    }

    private static long recordsOf(Map<String, Object> base, String topic, String key) {
        Map<String, Object> settings = new HashMap<>(base);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long found = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found++;
                    }
                }
            }
            return found;
        }
    }

    private static JsonNode awaitConnectorsRunning(Http http) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode connect = null;
        while (System.nanoTime() < deadline) {
            Http.Response response = http.get("/api/admin/kafka/connect");
            if (response.status() == 200) {
                connect = response.json();
                List<String> states = connect.get("connectors").findValuesAsText("state");
                if (states.size() >= 2 && states.stream().allMatch("RUNNING"::equals)) {
                    return connect;
                }
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("Kafka Connect's connectors did not all run within " + WAIT + ": " + connect);
    }
}
