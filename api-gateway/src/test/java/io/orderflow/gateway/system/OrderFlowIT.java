package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The first vertical slice end to end: HTTP → command → event store (bytea) → Kafka → projection → HTTP.
 */
class OrderFlowIT extends EmbeddedSystemTest {


    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionManager transactions;

    @Test
    void givenACatalogueOrder_whenPlaced_thenStoredAsBytea_forwardedToKafka_andReadable() {
        UUID customerId = UUID.randomUUID();
        // A client that sends its own trace id as X-Trace-Id, as before it had a header of its own.
        String clientTraceId = "trace-" + UUID.randomUUID();

        Http.Response placed = http.postJson("/api/orders", Orders.twoBeansAndAMug(customerId),
                "X-Trace-Id", clientTraceId);

        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        JsonNode body = placed.json();
        String orderId = body.get("orderId").asText();
        assertThat(body.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(body.get("totalAmount").asText()).isEqualTo("48.48");
        assertThat(body.get("currency").asText()).isEqualTo("EUR");
        assertThat(body.get("version").asLong()).isZero();
        assertThat(placed.header("Location")).isEqualTo("/api/orders/" + orderId);
        String traceId = placed.header("X-Trace-Id");
        assertThat(traceId).as("the system's own trace id, never the client's").isNotEqualTo(clientTraceId);
        assertThat(UUID.fromString(traceId)).isNotNull();
        assertThat(placed.header("X-Client-Trace-Id")).isEqualTo(clientTraceId);

        // The event row: payload and metadata are bytea, and no large object was written.
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT global_index, event_identifier, payload_type, payload_revision,
                       pg_typeof(payload)::text AS payload_column,
                       pg_typeof(meta_data)::text AS metadata_column, convert_from(payload, 'UTF8') AS payload_json,
                       convert_from(meta_data, 'UTF8') AS metadata_json
                FROM domain_event_entry WHERE aggregate_identifier = ?""", orderId);
        assertThat(row.get("payload_column")).isEqualTo("bytea");
        assertThat(row.get("metadata_column")).isEqualTo("bytea");
        assertThat(row.get("payload_type")).isEqualTo("io.orderflow.order.api.OrderAcceptedEvent");
        assertThat(row.get("payload_revision")).isEqualTo("2");
        assertThat((String) row.get("payload_json")).contains("\"customerId\":\"" + customerId + "\"")
                .contains("\"contractVersion\":2").contains("\"totalAmount\":48.48").contains("\"acceptedAt\":");
        assertThat((String) row.get("metadata_json")).contains("\"traceId\":\"" + traceId + "\"")
                .contains("\"clientTraceId\":\"" + clientTraceId + "\"").contains("\"correlationId\"");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_largeobject_metadata", Long.class)).isZero();
        // One sequence value per stored event, handed out by the database (no blocks of 50). Once
        // no transaction is in flight (fulfillment writes events too), the last value handed out is the last event's.
        assertThat(row.get("global_index")).isNotNull();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lastGlobalIndexHandedOut())
                .isEqualTo(jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class)));
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema = 'public' AND data_type = 'oid'""", Long.class)).isZero();

        // The Kafka record: keyed by the order id, typed, identified and traced through its headers.
        String eventId = (String) row.get("event_identifier");
        OrderTopic.Record record = await().atMost(Duration.ofSeconds(30)).until(
                () -> OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), "orderflow.order-events").stream()
                        .filter(r -> eventId.equals(r.messageId())).findFirst().orElse(null),
                java.util.Objects::nonNull);
        assertThat(record.key()).isEqualTo(orderId);
        assertThat(record.headers()).containsEntry("axon-message-type", "io.orderflow.order.api.OrderAcceptedEvent")
                .containsEntry("axon-message-revision", "2")
                .containsEntry("axon-metadata-traceId", traceId);
        assertThat(record.value()).contains(orderId);

        // The projection, read with read-your-writes.
        Http.Response read = http.get("/api/orders/" + orderId + "?minVersion=0");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("X-Orderflow-Stale")).isNull();
        JsonNode order = read.json();
        assertThat(order.get("orderId").asText()).isEqualTo(orderId);
        assertThat(order.get("customerId").asText()).isEqualTo(customerId.toString());
        // Fulfillment may already have moved it on; it starts from the acceptance.
        assertThat(order.get("status").asText()).isIn("ACCEPTED", "STOCK_RESERVED", "PAYMENT_AUTHORIZED",
                "SHIPMENT_ARRANGED", "COMPLETED");
        assertThat(order.get("totalAmount").asText()).isEqualTo("48.48");
        assertThat(order.get("lines")).hasSize(2);
        assertThat(order.get("lines").get(0).get("unitPrice").asText()).isEqualTo("19.99");
        assertThat(order.get("deliveryAddress").get("city").asText()).isEqualTo("Berlin");
        assertThat(order.get("history").get(0).get("type").asText()).isEqualTo("OrderAccepted");
        assertThat(order.get("version").asLong()).as("one history entry per event, versions from 0")
                .isEqualTo(order.get("history").size() - 1);
    }

    private long lastGlobalIndexHandedOut() {
        return jdbc.queryForObject("SELECT coalesce(last_value, 0) FROM pg_sequences "
                + "WHERE sequencename = 'domain_event_entry_seq'", Long.class);
    }

    @Test
    void givenAnUnknownOrder_whenRead_then404Problem_andABadIdIs400() {
        Http.Response missing = http.get("/api/orders/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("type").asText()).isEqualTo("/problems/not-found");

        Http.Response badId = http.get("/api/orders/not-a-uuid");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.contentType()).startsWith("application/problem+json");
        assertThat(badId.json().get("errors").get(0).get("field").asText()).isEqualTo("orderId");
    }

    @Test
    void givenAVersionTheProjectionNeverReaches_whenReadWithMinVersion_thenAnswersWhatItHasMarkedStale() {
        Http.Response placed = http.postJson("/api/orders", Orders.oneBag());
        String orderId = placed.json().get("orderId").asText();

        long start = System.nanoTime();
        Http.Response read = http.get("/api/orders/" + orderId + "?minVersion=50");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("X-Orderflow-Stale")).isEqualTo("true");
        // Fulfillment moves the order on meanwhile, but never to version 50.
        assertThat(read.json().get("version").asLong()).isLessThan(50);
        assertThat(waitedMillis).as("waits for the bound before answering stale").isGreaterThanOrEqualTo(4_900);
    }

    @Test
    void givenPricesFromTheCatalogue_whenTheClientWasShownAnotherPrice_then409PriceChanged() {
        long before = storedEvents();
        Http.Response response = http.postJson("/api/orders", """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1, "unitPrice": "9.99"}],
                 "deliveryAddress": %s}""".formatted(UUID.randomUUID(), Orders.HOME));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/price-changed");
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("lines[0].unitPrice");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void givenAnUnknownSkuOrForeignCurrency_whenPlaced_then422() {
        long before = storedEvents();
        for (String body : List.of(
                """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-404", "quantity": 1}],
                 "deliveryAddress": %s}""".formatted(UUID.randomUUID(), Orders.HOME),
                """
                {"customerId": "%s", "currency": "USD", "lines": [{"sku": "SKU-1", "quantity": 1}],
                 "deliveryAddress": %s}""".formatted(UUID.randomUUID(), Orders.HOME))) {
            Http.Response response = http.postJson("/api/orders", body);
            assertThat(response.status()).as(response.body()).isEqualTo(422);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void givenTwoWritersOfOneAggregateSequence_whenBothAppend_thenTheSecondIsAConflict_andABatchIsNumberedInOrder() {
        String aggregateId = UUID.randomUUID().toString();
        // An internal event type no processor handles and the publisher does not forward.
        java.util.function.IntFunction<EventMessage<?>> event = sequence -> new GenericDomainEventMessage<>(
                "ConflictProbe", aggregateId, sequence, new ConflictProbe(aggregateId));

        transactions.executeInTransaction(() -> eventStore.publish(List.of(event.apply(0), event.apply(1),
                event.apply(2))));

        assertThatThrownBy(() -> transactions.executeInTransaction(() -> eventStore.publish(event.apply(1))))
                .isInstanceOf(ConcurrencyException.class);
        List<Long> indexes = jdbc.queryForList("SELECT global_index FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, aggregateId);
        assertThat(indexes).hasSize(3);
        assertThat(indexes).as("one batch, numbered in its order").isSorted().doesNotHaveDuplicates();
    }

    record ConflictProbe(String aggregateId) {
    }
}
