package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.infra.kafka.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer-profile API end to end: register, read your write, change an address, and the events on Kafka.
 */
class CustomerApiIT extends EmbeddedSystemTest {

    static final String ADA = """
            {"name": "Ada Lovelace", "email": "ada@example.com",
             "shippingAddress": {"street": "Hauptstrasse 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}}""";

    @Value("${axon.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void givenARegisteredCustomer_whenTheShippingAddressChanges_thenVersionOneIsReadable_andBothEventsAreOnKafka() {
        String traceId = "trace-" + UUID.randomUUID();
        Http.Response registered = http.postJson("/api/customers", ADA, "X-Trace-Id", traceId);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String customerId = registered.json().get("customerId").asText();
        assertThat(registered.json().get("version").asLong()).isZero();
        assertThat(registered.header("Location")).isEqualTo("/api/customers/" + customerId);

        JsonNode profile = http.get("/api/customers/" + customerId + "?minVersion=0").json();
        assertThat(profile.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(profile.get("billingAddress").get("city").asText()).isEqualTo("Berlin");

        Http.Response changed = http.put("/api/customers/" + customerId + "/shipping-address",
                "{\"street\": \"Rue de Rivoli 2\", \"city\": \"Paris\", \"postalCode\": \"75001\", \"country\": \"FR\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("version").asLong()).isEqualTo(1);
        Http.Response same = http.put("/api/customers/" + customerId + "/shipping-address",
                "{\"street\": \"Rue de Rivoli 2\", \"city\": \"Paris\", \"postalCode\": \"75001\", \"country\": \"FR\"}");
        assertThat(same.json().get("version").asLong()).as("the same address again changes nothing").isEqualTo(1);

        JsonNode moved = http.get("/api/customers/" + customerId + "?minVersion=1").json();
        assertThat(moved.get("shippingAddress").get("city").asText()).isEqualTo("Paris");
        assertThat(moved.get("billingAddress").get("city").asText()).isEqualTo("Berlin");
        assertThat(moved.get("version").asLong()).isEqualTo(1);

        List<OrderTopic.Record> records = await().atMost(Duration.ofSeconds(30)).until(
                () -> OrderTopic.readAll(bootstrapServers, Topics.CUSTOMER_EVENTS).stream()
                        .filter(r -> customerId.equals(r.key())).toList(), list -> list.size() == 2);
        assertThat(records).extracting(r -> r.headers().get("axon-message-type")).containsExactly(
                "io.orderflow.customer.api.CustomerRegisteredEvent", "io.orderflow.customer.api.AddressChangedEvent");
        assertThat(records).allSatisfy(r -> assertThat(r.headers()).containsEntry("axon-message-revision", "1"));
        assertThat(records.get(0).headers()).containsEntry("axon-metadata-traceId", traceId);
        assertThat(records.get(1).value()).contains("\"kind\":\"SHIPPING\"").contains("\"version\":1");
    }

    @Test
    void givenAnUnknownCustomer_whenReadOrChanged_then404() {
        String unknown = UUID.randomUUID().toString();
        long before = storedEvents();

        assertThat(http.get("/api/customers/" + unknown).status()).isEqualTo(404);
        Http.Response change = http.put("/api/customers/" + unknown + "/billing-address",
                "{\"street\": \"s\", \"city\": \"c\", \"postalCode\": \"1\", \"country\": \"DE\"}");
        assertThat(change.status()).as(change.body()).isEqualTo(404);
        assertThat(change.contentType()).startsWith("application/problem+json");
        assertThat(storedEvents()).isEqualTo(before);
        assertThat(Objects.requireNonNull(change.json().get("type")).asText()).isEqualTo("/problems/not-found");
    }
}
