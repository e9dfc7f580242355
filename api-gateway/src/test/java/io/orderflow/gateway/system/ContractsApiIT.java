package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.BillingAddressChangedEvent;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import io.orderflow.order.api.OrderEventsTopic;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.contractcheck.ContractCheck;
import io.orderflow.contractcheck.EventSchemas;
import io.orderflow.order.api.OrderAcceptedEvent;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event contracts a consuming team codes against, served by the running application: every revision of every
 * event with the topic that carries it, each schema exactly as committed, and a 404 problem for one that does not
 * exist.
 */
class ContractsApiIT extends EmbeddedSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenTheCommittedContracts_whenListed_thenEveryEventsCurrentRevisionIsThereWithItsTopic() {
        Http.Response response = http.get("/api/contracts");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        Map<String, JsonNode> byEventAndRevision = new HashMap<>();
        response.json().forEach(c -> byEventAndRevision.put(c.get("event").asText() + "/" + c.get("revision")
                .asText(), c));

        List<Class<?>> events = new ArrayList<>(ContractCheck.eventsIn("io.orderflow.order.api"));
        events.addAll(ContractCheck.eventsIn("io.orderflow.customer.api"));
        assertThat(events).hasSizeGreaterThanOrEqualTo(10);
        for (Class<?> event : events) {
            JsonNode contract = byEventAndRevision.get(event.getSimpleName() + "/" + EventSchemas.revisionOf(event));
            assertThat(contract).as("the contract of %s", event.getName()).isNotNull();
            assertThat(contract.get("type").asText()).isEqualTo(event.getName());
            // The routed address events are on the address router's topics (ADR 0023), the others on their context's.
            String topic = event == ShippingAddressChangedEvent.class ? AddressTopics.SHIPPING
                    : event == BillingAddressChangedEvent.class ? AddressTopics.BILLING
                    : event.getPackageName().startsWith("io.orderflow.order") ? OrderEventsTopic.NAME
                    : CustomerEventsTopic.NAME;
            assertThat(contract.get("topic").asText()).as("the topic of %s", event.getSimpleName()).isEqualTo(topic);
            assertThat(contract.get("schema").get("x-revision").asText()).isEqualTo(EventSchemas.revisionOf(event));
        }
        assertThat(byEventAndRevision).as("the older revision is served too").containsKey("OrderAcceptedEvent/1");
    }

    @Test
    void givenAnEventRevision_whenItsSchemaIsFetched_thenItIsTheCommittedFile() throws Exception {
        Http.Response v2 = http.get("/api/contracts/OrderAcceptedEvent/2");
        Http.Response v1 = http.get("/api/contracts/OrderAcceptedEvent/1");

        assertThat(v2.status()).isEqualTo(200);
        assertThat(v2.json()).isEqualTo(committed("OrderAcceptedEvent.v2.schema.json"));
        assertThat(v2.json().get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(v2.json().get("x-event-type").asText()).isEqualTo(OrderAcceptedEvent.class.getName());
        assertThat(v2.json().get("required")).extracting(JsonNode::asText).contains("acceptedAt");
        assertThat(v2.json().get("additionalProperties").asBoolean()).isTrue();
        assertThat(v1.json()).isEqualTo(committed("OrderAcceptedEvent.v1.schema.json"));
        assertThat(v1.json().get("properties").has("acceptedAt")).isFalse();
    }

    @Test
    void givenAnUnknownEventOrRevision_whenFetched_thenNotFoundAsAProblem() {
        for (String path : List.of("/api/contracts/OrderAcceptedEvent/9", "/api/contracts/NoSuchEvent/1")) {
            Http.Response response = http.get(path);

            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().get("status").asInt()).isEqualTo(404);
            assertThat(response.json().get("detail").asText()).contains("no contract for");
        }
    }

    private static JsonNode committed(String fileName) throws Exception {
        try (InputStream in = ContractsApiIT.class.getResourceAsStream("/contracts/" + fileName)) {
            assertThat(in).as(fileName + " on the class path").isNotNull();
            return JSON.readTree(in);
        }
    }
}
