package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.infra.payment.PaymentProviderSimulator;
import io.orderflow.fulfillment.payment.PaymentProviderClient;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Fulfillment.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders placed over HTTP are fulfilled by the saga on real PostgreSQL, Kafka and the payment provider simulator:
 * completed, failed for each reason with what was done undone, charged exactly once even when the provider's answer
 * is lost, and shipped to the address version the order names once it arrives.
 */
class FulfillmentIT extends EmbeddedSystemTest {

    @Autowired
    PaymentProviderSimulator provider;


    private Fulfillment fulfillment;

    @Autowired
    PaymentProviderClient providerClient;

    @BeforeEach
    void setUp() {
        fulfillment = new Fulfillment(http);
        // Each test starts with the provider's breakers closed and their windows empty: the failures an earlier
        // test (of this class or another sharing the context) injected must not open them in this one, where a
        // retry would then be refused by the open breaker and the order end PAYMENT_UNAVAILABLE instead.
        providerClient.circuitBreaker().reset();
        providerClient.statusBreaker().reset();
    }

    @AfterEach
    void healProvider() {
        provider.faults().reset();
    }

    /** Scenario S6's figures, gathered by the address tests below. */
    private static final Map<String, String> S6 = new TreeMap<>();
    private static final Map<String, Boolean> S6_PASSED = new TreeMap<>();

    @AfterAll
    static void reportAddressScenario() {
        if (S6_PASSED.size() < 2) {
            return; // not every part ran (a single test was chosen)
        }
        ScenarioReport.record(new ScenarioReport.Row("S6", "delayed and out-of-order address updates",
                "an order naming address version 1 placed before the change that makes it; an order naming a "
                        + "version that never comes", 2, 0, 0, S6.get("waited and shipped"),
                !S6_PASSED.containsValue(false),
                S6 + "; two changes delivered in reverse order and an older version arriving late never "
                        + "overwrite the newer address: DeliveryAddressProjectionIT (saga-fulfillment)"));
    }

    @Test
    void anOrderIsReservedChargedOnceShippedAndCompleted() {
        fulfillment.stockNewSku("FUL-OK", "10.00", 10);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-OK", 3, "DE"));

        assertThat(fulfillment.awaitOutcome(orderId, "FUL-OK")).isEqualTo(Outcome.completed("7/0/3"));
        assertThat(fulfillment.awaitEnd(orderId).get("history").findValuesAsText("type")).containsExactly(
                "OrderAccepted", "OrderStockReserved", "OrderPaymentAuthorized", "OrderShipmentArranged",
                "OrderCompleted");
        assertThat(fulfillment.ledger(orderId)).hasSize(1);
    }

    @Test
    void anOrderAboveTheStockFailsOutOfStockWithNoCharge() {
        fulfillment.stockNewSku("FUL-FEW", "10.00", 2);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-FEW", 3, "DE"));

        assertThat(fulfillment.awaitOutcome(orderId, "FUL-FEW"))
                .isEqualTo(Outcome.failed("OUT_OF_STOCK", 0, 0, 0, "2/0/0"));
        assertThat(fulfillment.ledger(orderId)).isEmpty();
    }

    @Test
    void anOrderOfTenThousandOrMoreFailsPaymentDeclinedWithItsStockReleased() {
        fulfillment.stockNewSku("FUL-BIG", "5000.00", 5);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-BIG", 2, "DE"));

        assertThat(fulfillment.awaitOutcome(orderId, "FUL-BIG"))
                .isEqualTo(Outcome.failed("PAYMENT_DECLINED", 0, 1, 0, "5/0/0"));
    }

    /**
     * A provider that refuses an authorization (a 4xx) has given its final answer: that order fails with the answer
     * as its reason, at once and without a charge, and the orders after it complete (the saga's segment goes on).
     */
    @Test
    void aProviderRefusingAnAuthorizationFailsThatOrderWithItsReason_andTheNextOrdersComplete() {
        String sku = "FUL-REJ-" + UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku(sku, "10.00", 10);
        provider.faults().rejectNext(1);

        UUID refused = fulfillment.place(Fulfillment.order(sku, 1, "DE"));
        assertThat(fulfillment.awaitOutcome(refused, sku)).isEqualTo(Outcome.failed("PAYMENT_DECLINED", 0, 0, 0,
                "10/0/0"));
        UUID next = fulfillment.place(Fulfillment.order(sku, 2, "DE"));
        UUID after = fulfillment.place(Fulfillment.order(sku, 3, "DE"));

        assertThat(fulfillment.awaitOutcome(next, sku).status()).isEqualTo("COMPLETED");
        assertThat(fulfillment.awaitOutcome(after, sku)).isEqualTo(Outcome.completed("5/0/5"));
        String reason = jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry "
                + "WHERE payload_type = 'io.orderflow.fulfillment.api.PaymentDeclinedEvent' "
                + "AND convert_from(payload, 'UTF8') LIKE ?", String.class, "%" + refused + "%");
        assertThat(reason).contains("refused the request with 422").contains("Injected rejection");
    }

    /** Scenario S2 for the payment provider: it makes the charge and its answer is lost, for every order. */
    @Test
    void aProviderThatChargesAndDropsTheResponseChargesExactlyOnceAndTheOrderCompletes() {
        int orders = ScenarioSize.pick(5, 100);
        String sku = "FUL-DROP-" + UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku(sku, "10.00", orders);
        provider.faults().dropResponseAfterChargeNext(orders);

        List<UUID> placed = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            placed.add(fulfillment.place(Fulfillment.order(sku, 1, "DE")));
        }
        long started = System.nanoTime();
        Map<String, Integer> ends = new TreeMap<>();
        Map<Integer, Integer> ordersPerCharges = new TreeMap<>();
        long otherEntries = 0;
        // Each lost answer costs the saga a call timeout, and the saga calls the provider one order at a time per
        // segment: at the larger size the last order ends minutes after the first.
        Duration patience = Duration.ofMinutes(ScenarioSize.pick(1, 10));
        for (UUID orderId : placed) {
            ends.merge(fulfillment.awaitStatus(orderId, patience, Fulfillment.TERMINAL.toArray(String[]::new))
                    .get("status").asText(), 1, Integer::sum);
            ordersPerCharges.merge((int) fulfillment.ledgerEntries(orderId, "AUTHORIZED"), 1, Integer::sum);
            otherEntries += fulfillment.ledger(orderId).size() - fulfillment.ledgerEntries(orderId, "AUTHORIZED");
        }
        long endedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        int unanswered = orders - provider.faults().snapshot().dropResponseAfterChargeNext();
        long duplicated = ordersPerCharges.entrySet().stream().filter(e -> e.getKey() > 1)
                .mapToLong(Map.Entry::getValue).sum();

        ScenarioReport.record(new ScenarioReport.Row("S2 payment", "lost acknowledgement from the payment provider",
                "the provider charged and dropped its answer, for each of " + orders + " orders", orders,
                orders - ends.getOrDefault("COMPLETED", 0), duplicated,
                "every order ended " + endedMillis + " ms after the last was placed",
                ends.equals(Map.of("COMPLETED", orders)) && ordersPerCharges.equals(Map.of(1, orders))
                        && otherEntries == 0,
                unanswered + " charges made with the answer lost; orders per number of charges "
                        + ordersPerCharges + " (the retry with the same idempotency key found the charge made); "
                        + "voids or other ledger entries " + otherEntries + "; end states " + ends));
        assertThat(unanswered).as("charges whose answer was dropped").isEqualTo(orders);
        assertThat(ends).isEqualTo(Map.of("COMPLETED", orders));
        assertThat(ordersPerCharges).as("orders per number of charges").isEqualTo(Map.of(1, orders));
        assertThat(otherEntries).as("voids or other ledger entries").isZero();
    }

    @Test
    void aProviderFailingForAWhileIsRetriedAndChargesOnce() {
        fulfillment.stockNewSku("FUL-503", "10.00", 5);
        // More failures than one attempt's retries: the saga's next attempt, on its deadline, gets through.
        provider.faults().failNext(4);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-503", 1, "DE"));

        assertThat(fulfillment.awaitOutcome(orderId, "FUL-503")).isEqualTo(Outcome.completed("4/0/1"));
    }

    /**
     * A forged {@code PaymentAuthorizedEvent} on the fulfillment topic, for an order the provider will decline,
     * arriving while the saga waits to retry its payment: nothing ships. The saga goes on from the payment
     * participant's answer and the ledger, and the order refuses an amount other than its total.
     */
    @Test
    void aForgedPaymentAuthorizationOnKafkaShipsNothing() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku("FUL-GENUINE-" + tag, "10.00", 1);
        fulfillment.stockNewSku("FUL-FORGED-" + tag, "5000.00", 5);
        UUID genuine = fulfillment.place(Fulfillment.order("FUL-GENUINE-" + tag, 1, "DE"));
        assertThat(fulfillment.awaitOutcome(genuine, "FUL-GENUINE-" + tag).status()).isEqualTo("COMPLETED");
        OrderTopic.Record template = OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), FulfillmentEventsTopic.NAME).stream()
                .filter(record -> genuine.toString().equals(record.key())
                        && record.headers().getOrDefault("axon-message-type", "").endsWith("PaymentAuthorizedEvent"))
                .findFirst().orElseThrow();

        // The saga's first attempt (three calls, each with a status check) finds the provider failing; the saga
        // waits for its retry deadline.
        provider.faults().failNext(6);
        UUID target = fulfillment.place(Fulfillment.order("FUL-FORGED-" + tag, 2, "DE"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%PaymentAttemptFailedEvent' "
                        + "AND convert_from(payload, 'UTF8') LIKE ?", Long.class, "%" + target + "%") > 0);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
                     new org.apache.kafka.clients.producer.KafkaProducer<>(forger(),
                             new org.apache.kafka.common.serialization.StringSerializer(),
                             new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var forged = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(
                    FulfillmentEventsTopic.NAME, target.toString(), template.value()
                    .replace(genuine.toString(), target.toString()).replace("10.00", "10000.00")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            template.headers().forEach((name, value) -> forged.headers().add(name, value == null ? null
                    : (name.equals("axon-message-id") ? UUID.randomUUID().toString()
                    : value.replace(genuine.toString(), target.toString()))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            producer.send(forged).get();
        }

        assertThat(fulfillment.awaitOutcome(target, "FUL-FORGED-" + tag))
                .isEqualTo(Outcome.failed("PAYMENT_DECLINED", 0, 1, 0, "5/0/0"));
        assertThat(jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ?",
                String.class, target.toString())).noneMatch(type -> type.endsWith("OrderPaymentAuthorizedEvent")
                || type.endsWith("ShipmentArrangedEvent"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM shipment WHERE order_id = ?",
                Long.class, target)).isZero();
        long charges = jdbc.queryForObject("SELECT count(*) FROM payment_simulator.ledger WHERE order_id = ? "
                + "AND status = 'AUTHORIZED'", Long.class, target.toString());
        assertThat(charges).isZero();
        ScenarioReport.record(new ScenarioReport.Row("S15 forged fact", "a forged payment authorization on Kafka",
                "a PaymentAuthorizedEvent for an order the provider declines, written onto the fulfillment topic "
                        + "while its saga waits to retry the provider", 1, 0, charges,
                "the order ended PAYMENT_DECLINED", true,
                "no OrderPaymentAuthorized or shipment event, no shipment row, no charge in the provider's ledger; "
                        + "the saga goes on from the ledger, and the order refuses another amount (ADR 0027)"));
    }

    @Test
    void aShipmentNoCarrierTakesIsCompensatedPaymentVoidedAndStockReleased() {
        fulfillment.stockNewSku("FUL-AQ", "10.00", 5);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-AQ", 2, "AQ"));

        assertThat(fulfillment.awaitOutcome(orderId, "FUL-AQ"))
                .isEqualTo(Outcome.failed("SHIPMENT_FAILED", 0, 0, 1, "5/0/0"));
    }

    @Test
    void anOrderWaitingForAnAddressVersionShipsToTheNewerAddressOnceItArrives() {
        fulfillment.stockNewSku("FUL-ADDR", "10.00", 5);
        UUID customerId = registerCustomer();

        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customerId, "FUL-ADDR", 1, 1));
        long waitStarted = System.nanoTime();
        fulfillment.awaitStatus(orderId, Duration.ofSeconds(30), "AWAITING_ADDRESS");
        Http.Response moved = http.put("/api/customers/" + customerId + "/shipping-address", """
                {"street": "Rue de Rivoli 2", "city": "Paris", "postalCode": "75001", "country": "FR"}""");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("version").asLong()).isEqualTo(1);
        JsonNode order = fulfillment.awaitEnd(orderId);
        String city = jdbc.queryForObject("select city from shipment where order_id = ?", String.class, orderId);
        S6.put("waited and shipped", order.get("status").asText() + " to " + city + " after waiting "
                + Duration.ofNanos(System.nanoTime() - waitStarted).toMillis() + " ms");
        S6_PASSED.put("waited and shipped", "COMPLETED".equals(order.get("status").asText()) && "Paris".equals(city));

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(city).isEqualTo("Paris");
    }

    @Test
    void anOrderWhoseAddressVersionNeverArrivesFailsAddressUnavailableAtTheDeadline() {
        fulfillment.stockNewSku("FUL-NOADDR", "10.00", 5);
        UUID customerId = registerCustomer();

        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customerId, "FUL-NOADDR", 1, 7));
        fulfillment.awaitStatus(orderId, Duration.ofSeconds(30), "AWAITING_ADDRESS");
        long waitStarted = System.nanoTime();
        JsonNode order = fulfillment.awaitEnd(orderId);
        S6.put("never arrived", order.get("status").asText() + " " + order.path("failureReason").asText()
                + " at the deadline, " + Duration.ofNanos(System.nanoTime() - waitStarted).toMillis()
                + " ms after it was seen waiting, " + (fulfillment.ledger(orderId).isEmpty() ? "nothing charged"
                : "charged " + fulfillment.ledger(orderId)));
        S6_PASSED.put("never arrived", "ADDRESS_UNAVAILABLE".equals(order.path("failureReason").asText())
                && fulfillment.ledger(orderId).isEmpty());

        assertThat(fulfillment.awaitOutcome(orderId, "FUL-NOADDR"))
                .isEqualTo(Outcome.failed("ADDRESS_UNAVAILABLE", 0, 0, 0, "5/0/0"));
        assertThat(fulfillment.ledger(orderId)).isEmpty();
    }

    @Test
    void anOrderNamingAVersionAlreadyKnownShipsAtOnceToThatAddress() {
        fulfillment.stockNewSku("FUL-KNOWN", "10.00", 5);
        UUID customerId = registerCustomer();

        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customerId, "FUL-KNOWN", 1, 0));

        assertThat(fulfillment.awaitOutcome(orderId, "FUL-KNOWN")).isEqualTo(Outcome.completed("4/0/1"));
        assertThat(jdbc.queryForObject("select city from shipment where order_id = ?", String.class, orderId))
                .isEqualTo("Berlin");
    }

    @Test
    void anOrderCancelledWhileWaitingForItsAddressEndsCancelledWithNothingTaken() {
        fulfillment.stockNewSku("FUL-CXL", "10.00", 5);
        UUID customerId = registerCustomer();

        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customerId, "FUL-CXL", 1, 5));
        fulfillment.awaitStatus(orderId, Duration.ofSeconds(30), "AWAITING_ADDRESS");
        assertThat(http.postJson("/api/orders/" + orderId + "/cancel", "{\"reason\": \"too slow\"}").status())
                .isEqualTo(200);

        fulfillment.awaitEnd(orderId);
        // The saga has seen the cancellation once no saga is left for the order.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from association_value_entry where association_value = ?", Long.class,
                orderId.toString()) == 0);
        assertThat(fulfillment.awaitOutcome(orderId, "FUL-CXL")).isEqualTo(Outcome.cancelled("5/0/0"));
        assertThat(fulfillment.ledger(orderId)).isEmpty();
    }

    @Test
    void theOperatorSeesRunningSagasWithTheirStepAndDeadlines() {
        UUID customerId = registerCustomer();
        fulfillment.stockNewSku("FUL-SEE", "10.00", 5);
        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customerId, "FUL-SEE", 1, 9));
        fulfillment.awaitStatus(orderId, Duration.ofSeconds(30), "AWAITING_ADDRESS");

        JsonNode sagas = http.get("/api/admin/sagas?state=AWAITING_ADDRESS").json();

        JsonNode saga = null;
        for (JsonNode candidate : sagas) {
            if (orderId.toString().equals(candidate.get("orderId").asText())) {
                saga = candidate;
            }
        }
        assertThat(saga).as("the waiting saga of order %s in %s", orderId, sagas).isNotNull();
        assertThat(saga.get("associations").findValuesAsText("value")).contains(orderId.toString());
        assertThat(saga.get("deadlines").findValuesAsText("name")).containsExactly("address-deadline");
        assertThat(saga.get("deadlines").get(0).get("dueAt").isNull()).isFalse();
        assertThat(http.get("/api/admin/sagas?state=NOPE").status()).isEqualTo(400);
    }

    @Test
    void whenTheProviderIsDown_thenItsLedgerIsA502ProblemNotAnError_andABadOrderIdIsA400() {
        int port = provider.port();
        provider.stop();
        try {
            Http.Response down = http.get("/api/admin/payments");
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.contentType()).startsWith("application/problem+json");
            assertThat(down.json().get("type").asText()).isEqualTo("/problems/provider-unavailable");
        } finally {
            provider.start(port);
        }
        assertThat(http.get("/api/admin/payments").status()).isEqualTo(200);
        assertThat(http.get("/api/admin/payments?orderId=42").status()).isEqualTo(400);
    }

    private UUID registerCustomer() {
        Http.Response registered = http.postJson("/api/customers", """
                {"name": "Ada Lovelace", "email": "ada@example.com",
                 "shippingAddress": {"street": "Hauptstrasse 1", "city": "Berlin", "postalCode": "10115",
                                     "country": "DE"}}""");
        assertThat(registered.status()).isEqualTo(201);
        return UUID.fromString(registered.json().get("customerId").asText());
    }

    /**
     * A forger's producer. The secured cluster lets only the application's principal write the fulfillment topic, so
     * the forger holds the application's credentials (a leaked secret): the case the ledger check still covers.
     */
    private java.util.Map<String, Object> forger() {
        java.util.Map<String, Object> settings = new java.util.HashMap<>(kafka(KafkaPrincipal.APP));
        settings.put("acks", "all");
        return settings;
    }
}
