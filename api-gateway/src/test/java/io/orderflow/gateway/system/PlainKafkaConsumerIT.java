package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another team's consumer, written with {@code kafka-clients}, the CloudEvents SDK, Jackson and a JSON Schema
 * validator and none of orderflow's classes ({@link OtherTeamsConsumer}): it reads the {@code OrderAccepted} record of
 * an order placed through the API, knows its type from the CloudEvents headers, fetches its schema from where
 * {@code dataschema} points, validates the payload against it, and continues the trace from {@code traceparent}.
 */
class PlainKafkaConsumerIT extends EmbeddedSystemTest {


    @Test
    void aConsumerWithoutOrderflowsClassesReadsAnOrderAcceptedRecordByItsCloudEventsHeadersAndSchema()
            throws IOException {
        Http.Response placed = http.postJson("/api/orders", Orders.oneBag());
        assertThat(placed.status()).isEqualTo(201);
        String orderId = placed.json().get("orderId").asText();
        String traceId = placed.header("X-Trace-Id");

        OtherTeamsConsumer.Read read = OtherTeamsConsumer.readAccepted(kafka(KafkaPrincipal.INSPECTOR), orderId,
                Duration.ofSeconds(30));

        CloudEvent event = read.event();
        assertThat(event.getSpecVersion()).isEqualTo(io.cloudevents.SpecVersion.V1);
        assertThat(event.getType()).isEqualTo("io.orderflow.order.api.OrderAcceptedEvent.v2");
        assertThat(event.getSource()).isEqualTo(URI.create("/orderflow/order"));
        assertThat(event.getSubject()).isEqualTo(orderId);
        assertThat(event.getTime()).isNotNull();
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(UUID.fromString(event.getId())).isNotNull();
        URI schemaAddress = event.getDataSchema();
        assertThat(schemaAddress.getPath()).isEqualTo("/api/contracts/OrderAcceptedEvent/2");

        // The schema, from where the record says it is (on this test's server: the test runs on a random port).
        Http.Response schema = http.as(tokens.asShop()).get(schemaAddress.getPath());
        assertThat(schema.status()).isEqualTo(200);
        JsonNode data = new ObjectMapper().readTree(event.getData().toBytes());
        assertThat(OtherTeamsConsumer.validate(schema.body(), data)).as("the payload against its schema").isEmpty();
        assertThat(data.get("orderId").asText()).isEqualTo(orderId);

        // The trace goes on: the W3C trace id is the API's trace id.
        assertThat(read.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .contains("-" + traceId.replace("-", "") + "-");
    }

    /** What another team writes: nothing of orderflow, only the libraries every Kafka and CloudEvents user has. */
    static final class OtherTeamsConsumer {

        record Read(CloudEvent event, String traceparent) {
        }

        static Read readAccepted(Map<String, Object> client, String orderId, Duration timeout) {
            Map<String, Object> config = new java.util.HashMap<>(client);
            // On the secured cluster the team signs in as a reader whose groups are its own (the inspection
            // principal's prefix here; a team of its own gets a principal and a prefix of its own).
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "orderflow-inspect-other-team-" + UUID.randomUUID());
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of("orderflow.order-events"));
                long until = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < until) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        // Records written before the topics carried CloudEvents headers stay on them (they are kept
                        // forever): a reader skips what is not a CloudEvent, as the SDK cannot read it.
                        if (record.headers().lastHeader("ce_specversion") == null) {
                            continue;
                        }
                        CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
                        if (orderId.equals(record.key()) && event.getType().startsWith(
                                "io.orderflow.order.api.OrderAcceptedEvent.v")) {
                            return new Read(event, new String(record.headers().lastHeader("traceparent").value(),
                                    StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            throw new AssertionError("no OrderAccepted record of order " + orderId + " within " + timeout);
        }

        static Set<ValidationMessage> validate(String schemaJson, JsonNode data) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson);
            return schema.validate(data);
        }
    }
}
