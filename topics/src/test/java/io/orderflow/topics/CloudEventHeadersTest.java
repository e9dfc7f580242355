package io.orderflow.topics;

import io.orderflow.order.api.OrderAcceptedEvent;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CloudEventHeadersTest {

    @Test
    void anEventGetsEveryRequiredAndOptionalAttributeAsBinaryModeHeaders() {
        Headers headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, "stale".getBytes(StandardCharsets.UTF_8));

        CloudEventHeaders.write(headers, new CloudEventHeaders.Attributes("8d9f6d1c-0000-4000-8000-000000000001",
                OrderAcceptedEvent.class, "2", Instant.parse("2026-12-05T10:15:30.123Z"), "order-7",
                CloudEventHeaders.dataSchema("http://shop.example/api/contracts", OrderAcceptedEvent.class, "2"),
                "0af76519-16cd-43dd-8448-eb211c80319c"));

        assertThat(text(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(text(headers, "ce_id")).isEqualTo("8d9f6d1c-0000-4000-8000-000000000001");
        assertThat(headers.headers("ce_id")).hasSize(1);
        assertThat(text(headers, "ce_source")).isEqualTo("/orderflow/order");
        assertThat(text(headers, "ce_type")).isEqualTo("io.orderflow.order.api.OrderAcceptedEvent.v2");
        assertThat(text(headers, "ce_time")).isEqualTo("2026-12-05T10:15:30.123Z");
        assertThat(text(headers, "ce_subject")).isEqualTo("order-7");
        assertThat(URI.create(text(headers, "ce_dataschema")))
                .isEqualTo(URI.create("http://shop.example/api/contracts/OrderAcceptedEvent/2"));
        assertThat(text(headers, "content-type")).isEqualTo("application/json");
        assertThat(text(headers, "traceparent"))
                .matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01");
    }

    @Test
    void theContractsAreUnderThePublicBaseUrl_withOrWithoutItsTrailingSlash() {
        assertThat(CloudEventHeaders.contractsUrl("https://shop.example/")).isEqualTo(
                "https://shop.example/api/contracts");
        assertThat(CloudEventHeaders.contractsUrl("http://localhost:8080")).isEqualTo(
                "http://localhost:8080/api/contracts");
    }

    @Test
    void aTraceIdThatIsNoUuidIsDigested_andTheParentIdIsStablePerEvent() {
        String first = CloudEventHeaders.traceparent("client-made trace", "event-1");

        assertThat(first).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(CloudEventHeaders.traceparent("client-made trace", "event-1")).isEqualTo(first);
        assertThat(CloudEventHeaders.traceparent("client-made trace", "event-2").substring(0, 36))
                .isEqualTo(first.substring(0, 36));
        assertThat(CloudEventHeaders.traceparent("00000000-0000-0000-0000-000000000000", "e"))
                .doesNotStartWith("00-" + "0".repeat(32));
    }

    private static String text(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
