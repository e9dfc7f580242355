package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.PoisonPill;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario S9: a handler of the order-summary projection throws for one order's events. That order's sequence is
 * parked in the dead-letter queue while every other order keeps flowing; the gap audit names it as parked, not
 * skipped; and a retry after the fix applies it.
 */
class PoisonEventIT extends EmbeddedSystemTest {

    private UUID poisoned;

    @AfterEach
    void cure() {
        if (poisoned != null) {
            PoisonPill.cure(poisoned);
        }
    }

    @Test
    void givenAPoisonEvent_thenItsOrderIsParkedOthersFlowAndARetryAfterTheFixAppliesIt() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        poisoned = UUID.randomUUID();
        PoisonPill.poison(poisoned);

        long started = System.nanoTime();
        UUID poisonOrder = fulfillment.place(Operations.orderFor(poisoned, "SKU-4", 1, "DE"));
        List<UUID> others = new ArrayList<>();
        for (int i = 0; i < io.orderflow.gateway.testkit.judge.ScenarioSize.pick(10, 200); i++) {
            others.add(fulfillment.place(Orders.oneBag()));
        }
        for (UUID other : others) {
            assertThat(fulfillment.awaitEnd(other).get("status").asText()).isEqualTo("COMPLETED");
        }
        long flowedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        // Fulfillment reads Kafka, not the projection: the poisoned order is fulfilled too, and its later events
        // queue up behind the parked one.
        await().atMost(Duration.ofSeconds(30)).until(() -> parked(operations, poisonOrder) != null
                && parked(operations, poisonOrder).get("size").asInt() >= 5);
        JsonNode sequence = parked(operations, poisonOrder);
        assertThat(sequence.get("cause").asText()).contains("poison");
        assertThat(sequence.get("letters").get(0).get("type").asText()).isEqualTo("OrderAcceptedEvent");
        assertThat(http.get("/api/orders/" + poisonOrder).status()).as("the parked order has no summary")
                .isEqualTo(404);

        JsonNode audit = http.get("/api/admin/gap-audit").json();
        JsonNode summaryAudit = projection(audit, "order-summary");
        assertThat(summaryAudit.get("skipped")).as("a parked order is not a skipped one").isEmpty();
        assertThat(summaryAudit.get("parked").findValuesAsText("aggregateId")).contains(poisonOrder.toString());

        Http.Response stillPoisoned = operations.post("/api/admin/dead-letters/order-summary/" + poisonOrder
                + "/retry");
        assertThat(stillPoisoned.status()).isEqualTo(200);
        assertThat(stillPoisoned.json().get("processed").asBoolean()).as("retried before the fix").isFalse();
        assertThat(parked(operations, poisonOrder)).as("still parked").isNotNull();

        PoisonPill.cure(poisoned);
        Http.Response retried = operations.post("/api/admin/dead-letters/order-summary/" + poisonOrder + "/retry");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().get("processed").asBoolean()).isTrue();
        assertThat(parked(operations, poisonOrder)).isNull();
        JsonNode summary = fulfillment.awaitEnd(poisonOrder);
        assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("history").size()).as("every parked event applied").isGreaterThanOrEqualTo(5);
        assertThat(operations.post("/api/admin/dead-letters/order-summary/" + poisonOrder + "/retry").status())
                .as("nothing left to retry").isEqualTo(404);

        ScenarioReport.record(new ScenarioReport.Row("S9", "poison event",
                "the order-summary handler throws for every event of one order", others.size() + 1, 0, 0,
                "retried after the fix: " + summary.get("status").asText(), true,
                "dead letters " + sequence.get("size").asInt() + " events in one parked sequence; " + others.size()
                        + " other orders completed meanwhile in " + flowedMillis + " ms; a retry before the fix "
                        + "stayed parked; the gap audit listed the order as parked, not skipped"));
    }

    @Test
    void givenAnUnknownProcessorOrSequence_thenClearErrors() {
        assertThat(http.get("/api/admin/dead-letters?processor=nope").status()).isEqualTo(400);
        assertThat(http.postJson("/api/admin/dead-letters/order-summary/" + UUID.randomUUID() + "/retry", "")
                .status()).isEqualTo(404);
        assertThat(http.postJson("/api/admin/dead-letters/fulfillment/x/retry", "").status()).isEqualTo(400);
    }

    private static JsonNode parked(Operations operations, UUID orderId) {
        return operations.parked("order-summary", orderId);
    }

    private static JsonNode projection(JsonNode audit, String name) {
        for (JsonNode result : audit.get("projections")) {
            if (name.equals(result.get("projection").asText())) {
                return result;
            }
        }
        throw new AssertionError("no audit of " + name + " in " + audit);
    }
}
