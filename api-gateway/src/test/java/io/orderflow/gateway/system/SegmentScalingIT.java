package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * An operator splits and merges a processor's segments while orders flow (ADR 0033): on the store-sourced order
 * summary (a pooled streaming processor) and on the Kafka-sourced analytics (a tracking processor). Every order
 * placed across the changes is projected, the new segments are claimed and catch up, and bad requests are refused
 * with the reason.
 */
class SegmentScalingIT extends EmbeddedSystemTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theOrderSummarysSegmentIsSplitAndMergedBack_andEveryOrderIsProjected() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        List<UUID> orders = new ArrayList<>();
        orders.add(fulfillment.place(Orders.oneBag()));
        TreeMap<Integer, Double> before = shares(operations.processor("order-summary"));

        Http.Response split = http.postJson("/api/admin/processors/order-summary/segments/0/split", "");
        assertThat(split.status()).as(split.body()).isEqualTo(200);
        try {
            TreeMap<Integer, Double> after = shares(split.json());
            // Segment 0 (1/4 of the orders) becomes segments 0 and 4, an eighth each; the others are untouched.
            assertThat(after).hasSize(before.size() + 1);
            assertThat(after.get(0)).isEqualTo(before.get(0) / 2);
            assertThat(after.get(before.size())).isEqualTo(before.get(0) / 2);
            assertThat(after.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
            for (int i = 0; i < 10; i++) {
                orders.add(fulfillment.place(Orders.oneBag()));
            }
            awaitEveryOrderSummarized(orders);
            awaitAllClaimed(operations, "order-summary");
            operations.awaitCaughtUp("order-summary", WAIT);
        } finally {
            Http.Response merge = http.postJson("/api/admin/processors/order-summary/segments/"
                    + before.size() + "/merge", "");
            assertThat(merge.status()).as(merge.body()).isEqualTo(200);
            assertThat(shares(merge.json())).isEqualTo(before);
        }
        for (int i = 0; i < 5; i++) {
            orders.add(fulfillment.place(Orders.oneBag()));
        }
        awaitEveryOrderSummarized(orders);
        awaitAllClaimed(operations, "order-summary");
        operations.awaitCaughtUp("order-summary", WAIT);
        System.out.printf("%n=== order-summary: segment 0 split into 0 and %d, merged back; %d orders placed "
                + "across both, every one projected ===%n", before.size(), orders.size());
    }

    @Test
    void theKafkaSourcedAnalyticsIsSplitAndMergedBack_andCatchesUp() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        // An order first, so that analytics has read something (a processor that has read nothing shows no lag).
        assertThat(fulfillment.awaitEnd(fulfillment.place(Orders.oneBag())).get("status").asText())
                .isEqualTo("COMPLETED");
        operations.awaitCaughtUp("analytics", WAIT);
        int segments = operations.processor("analytics").get("segments").size();

        Http.Response split = http.postJson("/api/admin/processors/analytics/segments/0/split", "");
        assertThat(split.status()).as(split.body()).isEqualTo(200);
        try {
            assertThat(split.json().get("segments")).hasSize(segments + 1);
            UUID order = fulfillment.place(Orders.oneBag());
            assertThat(fulfillment.awaitEnd(order).get("status").asText()).isEqualTo("COMPLETED");
            awaitAllClaimed(operations, "analytics");
            operations.awaitCaughtUp("analytics", WAIT);
        } finally {
            Http.Response merge = http.postJson("/api/admin/processors/analytics/segments/" + segments + "/merge",
                    "");
            assertThat(merge.status()).as(merge.body()).isEqualTo(200);
            assertThat(merge.json().get("segments")).hasSize(segments);
        }
        operations.awaitCaughtUp("analytics", WAIT);
    }

    @Test
    void badSegmentRequestsAreRefusedWithTheReason() {
        Operations operations = new Operations(http);
        // fulfillment has a single segment: nothing to merge it with.
        assertProblem(http.postJson("/api/admin/processors/fulfillment/segments/0/merge", ""), 409,
                "single-segment");
        assertProblem(http.postJson("/api/admin/processors/order-summary/segments/99/split", ""), 404, null);
        assertProblem(http.postJson("/api/admin/processors/nope/segments/0/split", ""), 404, null);
        Http.Response notANumber = http.postJson("/api/admin/processors/order-summary/segments/first/split", "");
        assertThat(notANumber.status()).as(notANumber.body()).isEqualTo(400);
        assertThat(notANumber.body()).doesNotContain("Exception");

        operations.pause("delivery-address");
        try {
            assertProblem(http.postJson("/api/admin/processors/delivery-address/segments/0/split", ""), 409,
                    "processor-paused");
        } finally {
            operations.resume("delivery-address");
        }
        // Still one segment in the token store (the listing leaves out a segment whose token is not yet written).
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE processor_name = 'delivery-address'",
                Integer.class)).isEqualTo(1);
    }

    private static void assertProblem(Http.Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        if (type != null) {
            assertThat(response.json().get("type").asText()).endsWith("/problems/" + type);
        }
    }

    private static TreeMap<Integer, Double> shares(JsonNode processor) {
        TreeMap<Integer, Double> shares = new TreeMap<>();
        processor.get("segments").forEach(s -> shares.put(s.get("segment").asInt(), s.get("share").asDouble()));
        return shares;
    }

    private void awaitEveryOrderSummarized(List<UUID> orders) {
        await().atMost(WAIT).until(() -> orders.stream()
                .allMatch(order -> http.get("/api/orders/" + order).status() == 200));
    }

    private static void awaitAllClaimed(Operations operations, String processor) {
        await().atMost(WAIT).until(() -> {
            for (JsonNode segment : operations.processor(processor).get("segments")) {
                if (segment.get("owner").isNull()) {
                    return false;
                }
            }
            return true;
        });
    }
}
