package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.infra.mail.SmtpServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario S4 on real PostgreSQL and Kafka: with orders in every end state, record a checksum of every projection,
 * replay them all (the order and customer projections from the event store, analytics from Kafka), and compare.
 * While a projection rebuilds, its reads keep answering with the old data and say so. The rebuild sends no email
 * and charges nobody.
 */
class RebuildIT extends EmbeddedSystemTest {

    /** The replayable projections, with a checksum query over the served generation of each. */
    private static final Map<String, String> CHECKSUMS = new LinkedHashMap<>();

    static {
        CHECKSUMS.put("order-summary", "SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', order_id, "
                + "customer_id, status, failure_reason, lines::text, total_amount, currency, delivery_address::text, "
                + "address_version, history::text, version, accepted_at, updated_at), ',' ORDER BY order_id)), '') "
                + "FROM order_summary WHERE generation = " + served("order-summary"));
        CHECKSUMS.put("customer-profile", "SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', "
                + "customer_id, name, email, shipping_address::text, billing_address::text, version), ',' "
                + "ORDER BY customer_id)), '') FROM customer_profile WHERE generation = " + served("customer-profile"));
        CHECKSUMS.put("analytics", "SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', order_id, "
                + "currency, total_amount, accepted_at, shipped_at, completed_at, failed_at, failure_reason, "
                + "cancelled_at), ',' ORDER BY order_id)), '') FROM analytics_order WHERE generation = "
                + served("analytics"));
    }

    @Autowired
    SmtpServer smtp;

    private static String served(String projection) {
        return "(SELECT served FROM projection_generation WHERE projection = '" + projection + "')";
    }

    @Test
    void givenOrdersInEveryEndState_whenEveryProjectionIsReplayed_thenTheChecksumsAreEqualAndNothingIsSentAgain() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        Map<String, UUID> orders = placeOrdersInEveryEndState(operations, fulfillment);

        Map<String, String> before = awaitQuiet(operations);
        int mailsBefore = smtp.received().size();
        long chargesBefore = jdbc.queryForObject("SELECT count(*) FROM payment_simulator.ledger", Long.class);
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        long summaries = jdbc.queryForObject("SELECT count(*) FROM order_summary WHERE generation = "
                + served("order-summary"), Long.class);
        UUID completed = orders.get("COMPLETED");
        String servedBefore = http.get("/api/orders/" + completed).body();

        // The order summary is paused first, so that its rebuild is certainly in progress while it is read.
        operations.pause("order-summary");
        long started = System.nanoTime();
        try {
            for (String projection : CHECKSUMS.keySet()) {
                Http.Response replay = operations.post("/api/admin/processors/" + projection + "/replay");
                assertThat(replay.status()).as(projection + ": " + replay.body()).isEqualTo(202);
            }
            Http.Response during = http.get("/api/orders/" + completed);
            assertThat(during.status()).isEqualTo(200);
            assertThat(during.header("X-Orderflow-Rebuilding")).isEqualTo("order-summary");
            assertThat(during.header("X-Orderflow-Stale")).isEqualTo("true");
            assertThat(during.body()).as("the old data, served while rebuilding").isEqualTo(servedBefore);
            assertThat(operations.post("/api/admin/processors/order-summary/replay").status())
                    .as("a second replay while one is in progress").isEqualTo(409);
        } finally {
            // Whatever happened, the shared application must not be left with a paused projection.
            operations.resume("order-summary");
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM projection_generation WHERE building <> served",
                        Long.class) == 0);
        long rebuiltMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM order_summary WHERE generation = "
                + served("order-summary"), Long.class)).as("orders in the rebuilt summary the moment reads switched")
                .isGreaterThanOrEqualTo(summaries);
        Http.Response after = http.get("/api/orders/" + completed);
        assertThat(after.header("X-Orderflow-Rebuilding")).isNull();

        Map<String, String> rebuilt = awaitQuiet(operations);
        assertThat(rebuilt).as("checksums after the replay").isEqualTo(before);
        assertThat(smtp.received().size()).as("mails sent by the replay").isEqualTo(mailsBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payment_simulator.ledger", Long.class))
                .as("charges made by the replay").isEqualTo(chargesBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM order_summary WHERE generation <> "
                + served("order-summary"), Long.class)).as("rows of the old generation left").isZero();
        assertThat(operations.post("/api/admin/processors/notifications/replay").status()).isEqualTo(409);
        assertThat(operations.post("/api/admin/processors/fulfillment/replay").status()).isEqualTo(409);
        assertThat(operations.post("/api/admin/processors/nope/replay").status()).isEqualTo(404);

        ScenarioReport.record(new ScenarioReport.Row("S4", "projection rebuild",
                "checksums of the order summary, customer profile and analytics recorded; all three replayed",
                events, 0, 0, "rebuilt and switched in " + rebuiltMillis + " ms", true,
                events + " events in the store (" + Math.round(events * 1000.0 / Math.max(1, rebuiltMillis))
                        + " events/s); orders in every end state " + orders.keySet() + "; checksums equal "
                        + rebuilt + "; new emails " + (smtp.received().size() - mailsBefore) + ", new charges "
                        + (jdbc.queryForObject("SELECT count(*) FROM payment_simulator.ledger", Long.class)
                        - chargesBefore) + "; replay benchmark (100,000 events): docs/performance.md"));
    }

    /**
     * Recovery drill: the read tables' rows are lost (a mistaken TRUNCATE, a restore that left them out). The runbook
     * (docs/operations/projections-lost.md) replays each replayable projection from the store (and analytics from
     * Kafka); the projections come back as they were, and nothing is sent or charged again.
     */
    @Test
    void givenTheReadTablesLost_whenTheRunbookReplaysThem_thenTheyAreAsBeforeAndNothingIsRepeated() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        Map<String, UUID> orders = placeOrdersInEveryEndState(operations, fulfillment);
        Map<String, String> before = awaitQuiet(operations);
        int mailsBefore = smtp.received().size();
        long chargesBefore = jdbc.queryForObject("SELECT count(*) FROM payment_simulator.ledger", Long.class);
        long invoicesBefore = jdbc.queryForObject("SELECT count(*) FROM billing_document", Long.class);

        jdbc.update("DELETE FROM order_summary");
        jdbc.update("DELETE FROM customer_profile");
        jdbc.update("DELETE FROM analytics_order");
        UUID completed = orders.get("COMPLETED");
        assertThat(http.get("/api/orders/" + completed).status()).as("an order read after the loss").isEqualTo(404);

        long started = System.nanoTime();
        java.sql.Timestamp replayed = jdbc.queryForObject("SELECT now()", java.sql.Timestamp.class);
        for (String projection : CHECKSUMS.keySet()) {
            Http.Response replay = operations.post("/api/admin/processors/" + projection + "/replay");
            assertThat(replay.status()).as(projection + ": " + replay.body()).isEqualTo(202);
        }
        // Each replay starts in turn; done when every one of the three has switched reads since the request.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM projection_generation WHERE projection IN "
                        + "('order-summary', 'customer-profile', 'analytics') AND (building <> served "
                        + "OR switched_at IS NULL OR switched_at < ?)", Long.class, replayed) == 0
                        && http.get("/api/orders/" + completed).status() == 200);
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        Map<String, String> after = awaitQuiet(operations);
        int newMails = smtp.received().size() - mailsBefore;
        long newCharges = jdbc.queryForObject("SELECT count(*) FROM payment_simulator.ledger", Long.class)
                - chargesBefore;
        long newInvoices = jdbc.queryForObject("SELECT count(*) FROM billing_document", Long.class) - invoicesBefore;
        ScenarioReport.record(new ScenarioReport.Row("S17 projections lost", "recovery drill: the read tables lost",
                "every row of the order summary, customer profile and analytics deleted; the runbook replays the "
                        + "three projections", orders.size(), 0, newMails + newCharges + newInvoices,
                "readable and complete again " + recoveredMillis + " ms after the first replay",
                after.equals(before) && newMails + newCharges + newInvoices == 0,
                "checksums before the loss " + before + ", after the replay " + after + "; new emails " + newMails
                        + ", new charges " + newCharges + ", new invoices " + newInvoices));
        assertThat(after).as("checksums after the recovery").isEqualTo(before);
        assertThat(newMails).as("mails sent by the recovery").isZero();
        assertThat(newCharges).as("charges made by the recovery").isZero();
        assertThat(newInvoices).as("invoices made by the recovery").isZero();
    }

    private Map<String, UUID> placeOrdersInEveryEndState(Operations operations, Fulfillment fulfillment) {
        UUID customer = operations.registerCustomer("Barbara Liskov", "barbara-" + UUID.randomUUID() + "@example.com");
        String scarce = "REBUILD-" + UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku(scarce, "5.00", 1);
        Map<String, UUID> orders = new TreeMap<>();
        orders.put("COMPLETED", fulfillment.place(Operations.orderFor(customer, "SKU-1", 1, "DE")));
        orders.put("FAILED OUT_OF_STOCK", fulfillment.place(Operations.orderFor(customer, scarce, 2, "DE")));
        orders.put("FAILED PAYMENT_DECLINED", fulfillment.place(Operations.orderFor(customer, "SKU-9", 1, "DE")));
        orders.put("FAILED SHIPMENT_FAILED", fulfillment.place(Operations.orderFor(customer, "SKU-2", 1, "AQ")));
        // Waiting for a profile version the customer never reaches: cancelled while waiting, or failed at the
        // deadline.
        UUID cancelled = fulfillment.place(Fulfillment.orderForVersion(customer, "SKU-3", 1, 99));
        fulfillment.awaitStatus(cancelled, Duration.ofSeconds(30), "AWAITING_ADDRESS");
        assertThat(http.postJson("/api/orders/" + cancelled + "/cancel", "{\"reason\": \"changed my mind\"}")
                .status()).isEqualTo(200);
        orders.put("CANCELLED", cancelled);
        orders.put("FAILED ADDRESS_UNAVAILABLE", fulfillment.place(Fulfillment.orderForVersion(customer, "SKU-3", 1,
                99)));
        for (Map.Entry<String, UUID> order : orders.entrySet()) {
            JsonNode end = fulfillment.awaitEnd(order.getValue());
            String state = end.get("status").asText()
                    + (end.hasNonNull("failureReason") ? " " + end.get("failureReason").asText() : "");
            assertThat(state).as("order %s", order.getValue()).isEqualTo(order.getKey());
        }
        return orders;
    }

    /**
     * Waits until nothing changes any more: every processor has caught up and the checksums stay the same over
     * two seconds (fulfillment of earlier tests' orders may still be finishing). Answers the checksums.
     */
    private Map<String, String> awaitQuiet(Operations operations) {
        Map<String, String>[] last = new Map[] {Map.of()};
        int[] stable = {0};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (String processor : List.of("__axon-kafka-event-publishing-group", "order-summary",
                    "customer-profile", "analytics", "fulfillment", "notifications")) {
                JsonNode view = operations.processor(processor);
                if (view.get("lag").isNull() || view.get("lag").asLong() != 0) {
                    stable[0] = 0;
                    return false;
                }
            }
            if (jdbc.queryForObject("SELECT count(*) FROM notification WHERE status = 'PENDING'", Long.class) > 0) {
                // A mail recorded but not handed over yet.
                stable[0] = 0;
                return false;
            }
            Map<String, String> now = checksums();
            stable[0] = now.equals(last[0]) ? stable[0] + 1 : 0;
            last[0] = now;
            return stable[0] >= 2;
        });
        return last[0];
    }

    private Map<String, String> checksums() {
        Map<String, String> sums = new LinkedHashMap<>();
        CHECKSUMS.forEach((projection, sql) -> sums.put(projection, jdbc.queryForObject(sql, String.class)));
        return sums;
    }
}
