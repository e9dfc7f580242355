package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.billing.api.BillingEventsTopic;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.judge.CommittedDocument;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.topics.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AsyncAPI document of the topics, as served to any signed-in caller: every topic with its key and events, every
 * event revision with its schema, the headers of every record. It is committed as {@code docs/asyncapi.json}, so a
 * change of the topics or contracts shows as a diff.
 */
class AsyncApiIT extends EmbeddedSystemTest {

    @Test
    void everyTopicIsAChannelWithItsEventsSchemasAndRecordHeaders() {
        Http.Response response = http.as(tokens.asCustomer(UUID.randomUUID())).get("/api/asyncapi");
        assertThat(response.status()).isEqualTo(200);
        JsonNode document = response.json();

        assertThat(document.get("asyncapi").asText()).isEqualTo("3.0.0");
        List<String> addresses = new ArrayList<>();
        document.get("channels").forEach(channel -> addresses.add(channel.get("address").asText()));
        assertThat(addresses).containsExactlyElementsOf(Topics.names());

        JsonNode orders = document.at("/channels/orderflow-order-events");
        assertThat(orders.get("address").asText()).isEqualTo(OrderEventsTopic.NAME);
        assertThat(orders.get("messages").has("OrderAcceptedEvent-v1")).isTrue();
        assertThat(orders.get("messages").has("OrderAcceptedEvent-v2")).isTrue();
        assertThat(orders.at("/bindings/kafka/partitions").asInt()).isEqualTo(Topics.DEFAULT_PARTITIONS);
        assertThat(document.at("/channels/" + AddressTopics.SHIPPING.replace('.', '-') + "/messages")
                .has("ShippingAddressChangedEvent-v1")).isTrue();
        assertThat(document.at("/channels/" + AddressTopics.BILLING.replace('.', '-') + "/description").asText())
                .contains("compacted");
        assertThat(document.at("/channels/" + BillingEventsTopic.NAME.replace('.', '-') + "/messages")
                .has("InvoiceIssuedEvent-v1")).isTrue();

        JsonNode accepted = document.at("/components/messages/OrderAcceptedEvent-v2");
        assertThat(accepted.at("/bindings/kafka/key/description").asText()).isEqualTo("the orderId");
        assertThat(accepted.at("/summary").asText()).contains("io.orderflow.order.api.OrderAcceptedEvent.v2");
        JsonNode payload = document.at("/components/schemas/OrderAcceptedEvent-v2");
        assertThat(payload.at("/schema/x-revision").asText()).isEqualTo("2");
        assertThat(payload.at("/schema/required").toString()).contains("orderId");
        JsonNode headers = document.at("/components/schemas/RecordHeaders");
        assertThat(headers.at("/required").toString()).contains("ce_type").contains("traceparent");
        // Every message reference resolves.
        document.get("channels").forEach(channel -> channel.get("messages").forEach(message -> {
            String pointer = message.get("$ref").asText().substring(1);
            assertThat(document.at(pointer).isMissingNode()).as("%s resolves", pointer).isFalse();
        }));
    }

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        new CommittedDocument("asyncapi.json", "asyncapi.write", "AsyncApiIT")
                .assertServedIsCommitted(http.get("/api/asyncapi").json());
    }
}
