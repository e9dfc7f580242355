package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.infra.mail.SmtpServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario S1 for the fulfillment consumer: its processor is stopped, orders are accepted meanwhile, and it is
 * started again. Every order must reach a terminal state with nothing lost and no business effect repeated, judged
 * by the checker of docs/failure-scenarios.md; the figures are the peak lag and the catch-up time.
 */
class FulfillmentOutageIT extends EmbeddedSystemTest {

    private static final int ORDERS = ScenarioSize.pick(40, 1000);

    @Autowired
    SmtpServer smtp;


    @Test
    void givenTheFulfillmentConsumerStopped_whenOrdersAreAccepted_thenAfterItsRestartEveryOneEndsOnce() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        UUID customer = operations.registerCustomer("Frances Allen", "frances-" + UUID.randomUUID() + "@example.com");
        // A SKU of its own with stock for every order, whatever earlier tests took.
        String sku = "OUTAGE-" + UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku(sku, "10.00", ORDERS);
        List<UUID> orders = new ArrayList<>();
        long peakLag;
        operations.pause("fulfillment");
        try {
            for (int i = 0; i < ORDERS; i++) {
                orders.add(fulfillment.place(Operations.orderFor(customer, sku, 1, "DE")));
            }
            // Nothing is fulfilled while the consumer is down; the checkout itself never waited for it.
            JsonNode last = fulfillment.awaitStatus(orders.get(orders.size() - 1), Duration.ofSeconds(10),
                    "ACCEPTED");
            assertThat(last.get("status").asText()).isEqualTo("ACCEPTED");
            peakLag = awaitBacklog(operations);
        } finally {
            operations.resume("fulfillment");
        }
        Instant resumed = Instant.now();
        Map<String, Integer> ends = new TreeMap<>();
        for (UUID orderId : orders) {
            ends.merge(fulfillment.awaitEnd(orderId).get("status").asText(), 1, Integer::sum);
        }
        // From the restart to the last order's end, as the event store recorded it (not the pace of the reads above).
        Instant lastEnd = Instant.parse(jdbc.queryForObject("select max(time_stamp) from domain_event_entry "
                + "where aggregate_identifier = any(?) and payload_type in ('io.orderflow.order.api.OrderCompletedEvent', "
                + "'io.orderflow.order.api.OrderFailedEvent', 'io.orderflow.order.api.OrderCancelledEvent')",
                String.class, (Object) orders.stream().map(UUID::toString).toArray(String[]::new)));
        long catchUpMillis = Duration.between(resumed, lastEnd).toMillis();
        // The notifications work through the backlog in topic order (every acceptance first, then the shipments),
        // about 20 emails a second on two cores at the large size: one deadline for all of them, sized by the count.
        Instant notificationsDue = Instant.now().plusSeconds(60).plusMillis(100L * orders.size());
        for (UUID orderId : orders) {
            Duration left = Duration.between(Instant.now(), notificationsDue);
            operations.awaitNotifications(orderId, left.isNegative() ? Duration.ofSeconds(1) : left,
                    "ORDER_ACCEPTED", "ORDER_SHIPPED");
        }
        long notifiedMillis = Duration.between(resumed, Instant.now()).toMillis();

        ScenarioChecker.Report report = new ScenarioChecker(jdbc, kafka(KafkaPrincipal.INSPECTOR), smtp).check(orders);
        ScenarioReport.record(new ScenarioReport.Row("S1", "consumer outage (fulfillment)",
                "the fulfillment consumer's processor stopped while " + ORDERS + " orders were accepted, then "
                        + "started", ORDERS, report.lostAnywhere(), report.duplicated(),
                "all ended " + catchUpMillis + " ms after the restart",
                ends.equals(Map.of("COMPLETED", ORDERS)) && report.clean(),
                "peak lag " + peakLag + " records; end states " + ends + "; every order's two emails sent "
                        + notifiedMillis + " ms after the restart; " + report.summary()));
        assertThat(ends).containsExactly(Map.entry("COMPLETED", ORDERS));
        assertThat(report.clean()).as("checker: %s", report).isTrue();
    }

    /** Waits until the paused consumer's backlog shows on the topics, and answers it. */
    private long awaitBacklog(Operations operations) {
        long[] lag = {0};
        // Until every accepted order shows as lag (the topic's head is read through a short cache); a figure only, so
        // a wait that runs out reports the largest lag seen instead of failing the scenario.
        try {
            awaitLag(lag);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return lag[0];
        }
        return lag[0];
    }

    private void awaitLag(long[] lag) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode topics = http.get("/api/admin/kafka/topics").json();
            for (JsonNode topic : topics) {
                if ("orderflow.order-events".equals(topic.get("topic").asText())) {
                    for (JsonNode consumer : topic.get("consumers")) {
                        if ("fulfillment".equals(consumer.get("processor").asText())) {
                            lag[0] = Math.max(lag[0], consumer.get("lag").isNull() ? 0 : consumer.get("lag").asLong());
                        }
                    }
                }
            }
            return lag[0] >= ORDERS;
        });
    }
}
