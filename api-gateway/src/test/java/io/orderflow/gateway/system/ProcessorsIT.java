package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The processors listing, pause and resume, and the gap audit: a summary row that goes missing (an event the
 * projection skipped) is named by the audit and reported in health, and a replay repairs it.
 */
class ProcessorsIT extends EmbeddedSystemTest {

    @Test
    void givenTheRunningApplication_thenEveryProcessorIsListedWithItsSourceSegmentsAndLag() {
        Operations operations = new Operations(http);
        new Fulfillment(http).awaitEnd(new Fulfillment(http).place(Orders.oneBag()));
        Map<String, JsonNode> processors = new HashMap<>();
        http.get("/api/admin/processors").json().forEach(view -> processors.put(view.get("name").asText(), view));

        assertThat(processors).containsKeys("__axon-kafka-event-publishing-group", "order-summary",
                "customer-profile", "fulfillment", "delivery-address", "analytics", "notifications", "billing");
        JsonNode summary = operations.processor("order-summary");
        assertThat(summary.get("source").asText()).isEqualTo("event-store");
        assertThat(summary.get("replayable").asBoolean()).isTrue();
        assertThat(summary.get("segments")).hasSize(4);
        for (JsonNode segment : summary.get("segments")) {
            // The instance's name, and a suffix of this process's own.
            assertThat(segment.get("owner").asText()).matches(INSTANCE + "/[0-9a-f]{8}");
            assertThat(segment.get("head").asLong()).isGreaterThanOrEqualTo(segment.get("position").asLong());
        }
        JsonNode analytics = processors.get("analytics");
        assertThat(analytics.get("source").asText())
                .isEqualTo("kafka:orderflow.order-events,orderflow.fulfillment-events");
        assertThat(processors.get("notifications").get("replayable").asBoolean()).isFalse();
        assertThat(processors.get("notifications").get("notReplayableBecause").asText()).contains("never replayed");
        operations.awaitCaughtUp("analytics", Duration.ofSeconds(30));

        operations.pause("delivery-address");
        try {
            assertThat(operations.processor("delivery-address").get("status").asText()).isEqualTo("PAUSED");
        } finally {
            operations.resume("delivery-address");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "RUNNING".equals(operations.processor("delivery-address").get("status").asText()));
        assertThat(http.get("/api/admin/processors/nope").status()).isEqualTo(404);
        assertThat(http.postJson("/api/admin/processors/nope/pause", "").status()).isEqualTo(404);
    }

    @Test
    void aRewind_movesTheProcessorBackOnly_andRefusesBadPositionsWithoutChangingAnything() {
        Operations operations = new Operations(http);
        new Fulfillment(http).awaitEnd(new Fulfillment(http).place(Orders.oneBag()));
        operations.awaitCaughtUp("order-summary", Duration.ofSeconds(30));
        String rewind = "/api/admin/processors/order-summary/rewind";

        for (String bad : List.of("{\"position\": -1}", "{\"position\": 1, \"at\": \"2026-01-01T00:00:00Z\"}",
                "{\"at\": \"yesterday\"}", "{\"position\": \"first\"}")) {
            Http.Response refused = http.postJson(rewind, bad);
            assertThat(refused.status()).as(bad + ": " + refused.body()).isEqualTo(400);
        }
        Http.Response kafka = http.postJson("/api/admin/processors/analytics/rewind", "{\"position\": 5}");
        assertThat(kafka.status()).as(kafka.body()).isEqualTo(400);
        assertThat(kafka.body()).contains("start of its topics");
        assertThat(http.postJson("/api/admin/processors/nope/rewind", "").status()).isEqualTo(404);

        Http.Response ahead = http.postJson(rewind, "{\"position\": 1000000000000}");
        assertThat(ahead.status()).as(ahead.body()).isEqualTo(409);
        assertThat(ahead.json().get("type").asText()).endsWith("/problems/rewind-forward");
        assertThat(operations.processor("order-summary").get("status").asText())
                .as("a refused rewind leaves the processor running").isEqualTo("RUNNING");

        long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        Http.Response back = http.postJson(rewind, "{\"position\": " + Math.max(1, head - 20) + "}");
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.json().get("status").asText()).isEqualTo("RUNNING");
        operations.awaitCaughtUp("order-summary", Duration.ofSeconds(60));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM operator_audit WHERE action = 'processor.rewind'",
                Long.class)).as("rewinds in the audit log").isGreaterThanOrEqualTo(1);
    }

    /**
     * Pausing right after resuming caught Axon's tracking processor while it launched its worker, and a processor
     * resumed after that reported RUNNING and never processed again (found by the larger scenario run).
     */
    @Test
    void givenPausedAndResumedInQuickSuccession_thenTheFulfillmentProcessorStillFulfils() {
        Operations operations = new Operations(http);
        for (int i = 0; i < 8; i++) {
            operations.pause("fulfillment");
            operations.resume("fulfillment");
        }

        Fulfillment fulfillment = new Fulfillment(http);
        JsonNode order = fulfillment.awaitEnd(fulfillment.place(Orders.oneBag()));

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(operations.processor("fulfillment").get("segments")).hasSize(1);
    }

    @Test
    void givenASummaryRowLost_thenTheGapAuditNamesItAndAReplayRepairsIt() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        UUID orderId = fulfillment.place(Orders.oneBag());
        fulfillment.awaitEnd(orderId);
        operations.awaitCaughtUp("order-summary", Duration.ofSeconds(30));
        assertThat(skipped(http.get("/api/admin/gap-audit").json(), "order-summary")).doesNotContain(
                orderId.toString());

        // What a skipped event looks like from the outside: the projection does not hold what the store has.
        jdbc.update("DELETE FROM order_summary WHERE order_id = ?", orderId);
        JsonNode audit = http.get("/api/admin/gap-audit").json();
        assertThat(skipped(audit, "order-summary")).contains(orderId.toString());
        JsonNode health = http.get("/actuator/health").json();
        assertThat(health.get("status").asText()).isEqualTo("GAPS");
        assertThat(health.get("components").get("gapAuditRunner").get("details").get("order-summary")
                .get("skipped").asInt()).isPositive();
        // (The test context exports no Prometheus scrape, which Spring Boot switches off in tests; the meter is
        // the same.)
        JsonNode gauge = http.get("/actuator/metrics/orderflow.projection.gaps.skipped?tag=projection:order-summary")
                .json();
        assertThat(gauge.get("measurements").get(0).get("value").asDouble()).isPositive();

        assertThat(operations.post("/api/admin/processors/order-summary/replay").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                jdbc.queryForObject("SELECT building = served FROM projection_generation "
                        + "WHERE projection = 'order-summary'", Boolean.class)
                        && http.get("/api/orders/" + orderId).status() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !skipped(http.get("/api/admin/gap-audit").json(), "order-summary").contains(orderId.toString()));
        assertThat(http.get("/actuator/health").json().get("status").asText()).isEqualTo("UP");
        System.out.printf("%n=== Gap audit: a lost summary row was named (%s) and repaired by a replay ===%n",
                orderId);
    }

    @Test
    void givenBadOperatorInput_thenAClear400NamingTheField() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("/api/admin/sagas?limit=abc", "limit");
        cases.put("/api/admin/sagas?limit=0", "limit");
        cases.put("/api/admin/events", "aggregateId");
        cases.put("/api/admin/events?aggregateId=x&traceId=y", "aggregateId");
        cases.put("/api/admin/events?traceId=%3Cscript%3E", "traceId");
        cases.put("/api/admin/events?aggregateId=x&limit=5000", "limit");
        cases.put("/api/admin/traces/bad%20id", "traceId");
        cases.put("/api/admin/traces/bad%20id/spans", "traceId");
        cases.put("/api/admin/notifications", "orderId");
        cases.put("/api/admin/notifications?orderId=not-a-uuid", "orderId");
        cases.put("/api/admin/dead-letters?processor=fulfillment", "processor");
        cases.put("/api/admin/dead-letters?limit=0", "limit");
        cases.put("/api/admin/dead-letters?limit=1001", "limit");
        cases.put("/api/admin/payments?limit=5000", "limit");
        cases.put("/api/admin/payments?limit=x", "limit");
        cases.forEach((path, field) -> {
            Http.Response response = http.get(path);
            assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().get("errors").findValuesAsText("field")).as(path).contains(field);
        });
    }

    private static String skipped(JsonNode audit, String projection) {
        for (JsonNode result : audit.get("projections")) {
            if (projection.equals(result.get("projection").asText())) {
                return result.get("skipped").toString();
            }
        }
        throw new AssertionError("no audit of " + projection);
    }
}
