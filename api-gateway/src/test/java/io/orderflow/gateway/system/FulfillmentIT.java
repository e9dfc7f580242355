package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.infra.payment.PaymentProviderSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
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

    @BeforeEach
    void setUp() {
        fulfillment = new Fulfillment(http);
    }

    @AfterEach
    void healProvider() {
        provider.faults().reset();
    }

    @Test
    void anOrderIsReservedChargedOnceShippedAndCompleted() {
        fulfillment.stockNewSku("FUL-OK", "10.00", 10);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-OK", 3, "DE"));
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(order.get("history").findValuesAsText("type")).containsExactly("OrderAccepted",
                "OrderStockReserved", "OrderPaymentAuthorized", "OrderShipmentArranged", "OrderCompleted");
        assertThat(fulfillment.ledgerEntries(orderId, "AUTHORIZED")).isEqualTo(1);
        assertThat(fulfillment.ledger(orderId)).hasSize(1);
        assertThat(fulfillment.stockLevels("FUL-OK")).as("available/reserved/shipped")
                .isEqualTo("7/0/3");
    }

    @Test
    void anOrderAboveTheStockFailsOutOfStockWithNoCharge() {
        fulfillment.stockNewSku("FUL-FEW", "10.00", 2);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-FEW", 3, "DE"));
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("FAILED");
        assertThat(order.get("failureReason").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(fulfillment.ledger(orderId)).isEmpty();
        assertThat(fulfillment.stockLevels("FUL-FEW")).as("available/reserved/shipped")
                .isEqualTo("2/0/0");
    }

    @Test
    void anOrderOfTenThousandOrMoreFailsPaymentDeclinedWithItsStockReleased() {
        fulfillment.stockNewSku("FUL-BIG", "5000.00", 5);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-BIG", 2, "DE"));
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("FAILED");
        assertThat(order.get("failureReason").asText()).isEqualTo("PAYMENT_DECLINED");
        assertThat(fulfillment.ledgerEntries(orderId, "AUTHORIZED")).isZero();
        assertThat(fulfillment.ledgerEntries(orderId, "DECLINED")).isEqualTo(1);
        assertThat(fulfillment.stockLevels("FUL-BIG")).as("available/reserved/shipped")
                .isEqualTo("5/0/0");
    }

    @Test
    void aProviderThatChargesAndDropsTheResponseChargesExactlyOnceAndTheOrderCompletes() {
        fulfillment.stockNewSku("FUL-DROP", "10.00", 5);
        provider.faults().dropResponseAfterChargeNext(1);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-DROP", 1, "DE"));
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(fulfillment.ledger(orderId)).hasSize(1);
        assertThat(fulfillment.ledgerEntries(orderId, "AUTHORIZED")).isEqualTo(1);
    }

    @Test
    void aProviderFailingForAWhileIsRetriedAndChargesOnce() {
        fulfillment.stockNewSku("FUL-503", "10.00", 5);
        // More failures than one attempt's retries: the saga's next attempt, on its deadline, gets through.
        provider.faults().failNext(4);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-503", 1, "DE"));
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(fulfillment.ledgerEntries(orderId, "AUTHORIZED")).isEqualTo(1);
    }

    @Test
    void aShipmentNoCarrierTakesIsCompensatedPaymentVoidedAndStockReleased() {
        fulfillment.stockNewSku("FUL-AQ", "10.00", 5);

        UUID orderId = fulfillment.place(Fulfillment.order("FUL-AQ", 2, "AQ"));
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("FAILED");
        assertThat(order.get("failureReason").asText()).isEqualTo("SHIPMENT_FAILED");
        assertThat(fulfillment.ledgerEntries(orderId, "AUTHORIZED")).isZero();
        assertThat(fulfillment.ledgerEntries(orderId, "VOIDED")).isEqualTo(1);
        assertThat(fulfillment.stockLevels("FUL-AQ")).as("available/reserved/shipped")
                .isEqualTo("5/0/0");
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
        System.out.printf("%nAddress wait: order %s waited %d ms for version 1%n", orderId,
                Duration.ofNanos(System.nanoTime() - waitStarted).toMillis());

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("select city from shipment where order_id = ?", String.class, orderId))
                .isEqualTo("Paris");
    }

    @Test
    void anOrderWhoseAddressVersionNeverArrivesFailsAddressUnavailableAtTheDeadline() {
        fulfillment.stockNewSku("FUL-NOADDR", "10.00", 5);
        UUID customerId = registerCustomer();

        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customerId, "FUL-NOADDR", 1, 7));
        fulfillment.awaitStatus(orderId, Duration.ofSeconds(30), "AWAITING_ADDRESS");
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("FAILED");
        assertThat(order.get("failureReason").asText()).isEqualTo("ADDRESS_UNAVAILABLE");
        assertThat(fulfillment.ledger(orderId)).isEmpty();
        assertThat(fulfillment.stock("FUL-NOADDR").get("available").asInt()).isEqualTo(5);
    }

    @Test
    void anOrderNamingAVersionAlreadyKnownShipsAtOnceToThatAddress() {
        fulfillment.stockNewSku("FUL-KNOWN", "10.00", 5);
        UUID customerId = registerCustomer();

        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customerId, "FUL-KNOWN", 1, 0));
        JsonNode order = fulfillment.awaitEnd(orderId);

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
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

        JsonNode order = fulfillment.awaitEnd(orderId);
        assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
        // The saga has seen the cancellation once no saga is left for the order.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from association_value_entry where association_value = ?", Long.class,
                orderId.toString()) == 0);
        assertThat(fulfillment.ledger(orderId)).isEmpty();
        assertThat(fulfillment.stock("FUL-CXL").get("available").asInt()).isEqualTo(5);
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
}
