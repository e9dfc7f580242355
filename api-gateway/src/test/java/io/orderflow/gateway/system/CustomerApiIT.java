package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer-profile API end to end: register, read your write, change an address, and the events in the store
 * and on Kafka ({@code orderflow.customer-events}, keyed by customer id, traced through their headers).
 */
class CustomerApiIT extends EmbeddedSystemTest {

    static final String ADA = """
            {"name": "Ada Lovelace", "email": "ada@example.com",
             "shippingAddress": {"street": "Hauptstrasse 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}}""";
    static final String PARIS = """
            {"street": "Rue de Rivoli 2", "city": "Paris", "postalCode": "75001", "country": "FR"}""";
    static final String ZURICH = """
            {"street": "Bahnhofstrasse 3", "city": "Zürich", "postalCode": "8001", "country": "CH"}""";


    @Test
    void givenARegisteredCustomer_whenTheShippingAddressChanges_thenVersionOneIsReadable_andBothEventsAreOnKafka() {
        String clientTraceId = "client-" + UUID.randomUUID();
        Http.Response registered = http.postJson("/api/customers", ADA, "X-Client-Trace-Id", clientTraceId);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String customerId = registered.json().get("customerId").asText();
        assertThat(UUID.fromString(customerId)).isNotNull();
        assertThat(registered.json().get("version").asLong()).isZero();
        assertThat(registered.header("Location")).isEqualTo("/api/customers/" + customerId);
        // The system's trace id is its own; the client's is kept beside it.
        String traceId = registered.header("X-Trace-Id");
        assertThat(UUID.fromString(traceId)).isNotNull();
        assertThat(registered.header("X-Client-Trace-Id")).isEqualTo(clientTraceId);

        Http.Response read = http.get("/api/customers/" + customerId + "?minVersion=0");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("X-Orderflow-Stale")).isNull();
        JsonNode profile = read.json();
        assertThat(profile.get("customerId").asText()).isEqualTo(customerId);
        assertThat(profile.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(profile.get("email").asText()).isEqualTo("ada@example.com");
        assertThat(profile.get("shippingAddress").get("city").asText()).isEqualTo("Berlin");
        assertThat(profile.get("billingAddress").get("city").asText())
                .as("without a billing address, the shipping address is billed").isEqualTo("Berlin");
        assertThat(profile.get("version").asLong()).isZero();

        Http.Response changed = http.put("/api/customers/" + customerId + "/shipping-address", PARIS);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("customerId").asText()).isEqualTo(customerId);
        assertThat(changed.json().get("version").asLong()).isEqualTo(1);
        long storedAfterChange = storedEvents();
        Http.Response same = http.put("/api/customers/" + customerId + "/shipping-address", PARIS);
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(same.json().get("version").asLong()).as("the same address again changes nothing").isEqualTo(1);
        assertThat(storedEvents()).as("no event for the same address").isEqualTo(storedAfterChange);

        JsonNode moved = http.get("/api/customers/" + customerId + "?minVersion=1").json();
        assertThat(moved.get("shippingAddress").get("street").asText()).isEqualTo("Rue de Rivoli 2");
        assertThat(moved.get("shippingAddress").get("city").asText()).isEqualTo("Paris");
        assertThat(moved.get("shippingAddress").get("postalCode").asText()).isEqualTo("75001");
        assertThat(moved.get("shippingAddress").get("country").asText()).isEqualTo("FR");
        assertThat(moved.get("billingAddress").get("city").asText()).isEqualTo("Berlin");
        assertThat(moved.get("version").asLong()).isEqualTo(1);

        // In the store: one row per version, the customer's sequence, traced metadata.
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT sequence_number, payload_type, payload_revision, convert_from(meta_data, 'UTF8') AS metadata
                FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""", customerId);
        assertThat(rows).extracting(r -> r.get("payload_type")).containsExactly(
                "io.orderflow.customer.api.CustomerRegisteredEvent", "io.orderflow.customer.api.AddressChangedEvent");
        assertThat((String) rows.get(0).get("metadata")).contains("\"traceId\":\"" + traceId + "\"")
                .contains("\"clientTraceId\":\"" + clientTraceId + "\"").contains("\"correlationId\"");

        List<OrderTopic.Record> records = await().atMost(Duration.ofSeconds(30)).until(
                () -> OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), CustomerEventsTopic.NAME).stream()
                        .filter(r -> customerId.equals(r.key())).toList(), list -> list.size() == 2);
        assertThat(records).extracting(r -> r.headers().get("axon-message-type")).containsExactly(
                "io.orderflow.customer.api.CustomerRegisteredEvent", "io.orderflow.customer.api.AddressChangedEvent");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.headers()).containsEntry("axon-message-revision", "1");
            assertThat(r.headers().get("axon-metadata-traceId")).isNotBlank();
            assertThat(r.headers().get("axon-metadata-correlationId")).isNotBlank();
            assertThat(r.messageId()).isNotBlank();
        });
        assertThat(records.get(0).headers()).containsEntry("axon-metadata-traceId", traceId)
                .containsEntry("axon-metadata-clientTraceId", clientTraceId);
        assertThat(records.get(0).value()).contains("\"customerId\":\"" + customerId + "\"")
                .contains("\"version\":0");
        // The street, city and postal code travel encrypted with the customer's key (ADR 0032); the country does not.
        assertThat(records.get(1).value()).contains("\"kind\":\"SHIPPING\"").contains("\"version\":1")
                .contains("\"country\":\"FR\"").contains("\"city\":\"pd1:").doesNotContain("Paris");
        assertThat(records.get(0).partition()).as("one key, one partition, in order")
                .isEqualTo(records.get(1).partition());
    }

    /**
     * The address router (ADR 0023) inside the application: each profile version reaches both address topics, with
     * the address of its kind, and the console shows the router running with its topology and counts.
     */
    @Test
    void givenShippingAndBillingChanges_thenEveryVersionReachesBothAddressTopics_andTheConsoleShowsTheRouter() {
        String customerId = http.postJson("/api/customers", ADA).json().get("customerId").asText();
        assertThat(http.put("/api/customers/" + customerId + "/shipping-address", PARIS).status()).isEqualTo(200);
        assertThat(http.put("/api/customers/" + customerId + "/billing-address", ZURICH).status()).isEqualTo(200);

        List<OrderTopic.Record> shipping = await().atMost(Duration.ofSeconds(30)).until(
                () -> OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), AddressTopics.SHIPPING).stream()
                        .filter(r -> customerId.equals(r.key())).toList(), list -> list.size() == 3);
        List<OrderTopic.Record> billing = await().atMost(Duration.ofSeconds(30)).until(
                () -> OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), AddressTopics.BILLING).stream()
                        .filter(r -> customerId.equals(r.key())).toList(), list -> list.size() == 3);

        assertThat(shipping).extracting(OrderTopic.Record::value).satisfiesExactly(
                v -> assertThat(v).contains("\"version\":0").contains("\"country\":\"DE\""),
                v -> assertThat(v).contains("\"version\":1").contains("\"country\":\"FR\""),
                v -> assertThat(v).contains("\"version\":2").contains("\"country\":\"FR\""));
        assertThat(billing).extracting(OrderTopic.Record::value).satisfiesExactly(
                v -> assertThat(v).contains("\"version\":0").contains("\"country\":\"DE\""),
                v -> assertThat(v).contains("\"version\":1").contains("\"country\":\"DE\""),
                v -> assertThat(v).contains("\"version\":2").contains("\"country\":\"CH\""));
        assertThat(shipping).allSatisfy(r -> {
            assertThat(r.value()).doesNotContain("Berlin", "Paris").contains("\"city\":\"pd1:");
            assertThat(r.headers()).containsEntry("axon-message-type", ShippingAddressChangedEvent.class.getName());
            assertThat(r.headers().get("axon-metadata-traceId")).isNotBlank();
        });

        JsonNode router = http.get("/api/admin/kafka/streams").json().get(0);
        assertThat(router.get("applicationId").asText()).isEqualTo("orderflow-address-routing");
        assertThat(router.get("state").asText()).isEqualTo("RUNNING");
        assertThat(router.get("topology").asText()).contains(CustomerEventsTopic.NAME)
                .contains(AddressTopics.SHIPPING).contains(AddressTopics.BILLING);
        assertThat(router.get("threads").get(0).get("activeTasks")).isNotEmpty();
        assertThat(router.get("metrics").get("routed-total").asDouble()).isGreaterThanOrEqualTo(6);
        assertThat(router.get("metrics").has("process-rate")).isTrue();
    }

    @Test
    void givenARegisteredCustomer_whenTheBillingAddressChanges_thenOnlyTheBillingAddressMoves() {
        String customerId = http.postJson("/api/customers", ADA).json().get("customerId").asText();

        Http.Response changed = http.put("/api/customers/" + customerId + "/billing-address", ZURICH);

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("version").asLong()).isEqualTo(1);
        JsonNode profile = http.get("/api/customers/" + customerId + "?minVersion=1").json();
        assertThat(profile.get("billingAddress").get("city").asText()).isEqualTo("Zürich");
        assertThat(profile.get("shippingAddress").get("city").asText()).isEqualTo("Berlin");
    }

    @Test
    void givenABillingAddressAtRegistration_whenRead_thenBothAddressesAreKept() {
        String body = ADA.substring(0, ADA.length() - 1) + ", \"billingAddress\": " + ZURICH + "}";
        Http.Response registered = http.postJson("/api/customers", body);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);

        JsonNode profile = http.get("/api/customers/" + registered.json().get("customerId").asText()
                + "?minVersion=0").json();

        assertThat(profile.get("shippingAddress").get("city").asText()).isEqualTo("Berlin");
        assertThat(profile.get("billingAddress").get("city").asText()).isEqualTo("Zürich");
    }

    @Test
    void givenAVersionTheProjectionNeverReaches_whenReadWithMinVersion_thenAnswersWhatItHasMarkedStale() {
        String customerId = http.postJson("/api/customers", ADA).json().get("customerId").asText();

        long start = System.nanoTime();
        Http.Response read = http.get("/api/customers/" + customerId + "?minVersion=5");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("X-Orderflow-Stale")).isEqualTo("true");
        assertThat(read.json().get("version").asLong()).isZero();
        assertThat(waitedMillis).as("waits for the bound before answering stale").isGreaterThanOrEqualTo(4_900);
    }

    @Test
    void givenAnUnknownCustomer_whenReadOrChanged_then404ProblemAndNothingStored() {
        String unknown = UUID.randomUUID().toString();
        long before = storedEvents();

        Http.Response read = http.get("/api/customers/" + unknown);
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.contentType()).startsWith("application/problem+json");
        assertThat(read.json().get("type").asText()).isEqualTo("/problems/not-found");
        for (String address : List.of("shipping-address", "billing-address")) {
            Http.Response change = http.put("/api/customers/" + unknown + "/" + address, PARIS);
            assertThat(change.status()).as(change.body()).isEqualTo(404);
            assertThat(change.contentType()).startsWith("application/problem+json");
            assertThat(change.json().get("type").asText()).isEqualTo("/problems/not-found");
        }
        assertThat(storedEvents()).isEqualTo(before);
    }
}
