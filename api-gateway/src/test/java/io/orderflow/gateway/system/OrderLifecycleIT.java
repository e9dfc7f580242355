package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderCommands.RecordPaymentAuthorizedCommand;
import io.orderflow.order.api.OrderCommands.RecordShipmentArrangedCommand;
import io.orderflow.order.api.OrderCommands.RecordStockReservedCommand;
import io.orderflow.order.api.OrderId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellation over HTTP, the customer's order list, and concurrent conflicting commands on one order.
 */
class OrderLifecycleIT extends EmbeddedSystemTest {

    private static final int CONCURRENT_CANCELS = io.orderflow.gateway.testkit.judge.ScenarioSize.pick(50, 200);

    @Autowired
    CommandGateway commandGateway;

    /**
     * These tests drive their orders themselves (cancel, record steps); fulfillment, which ends an order within tens
     * of milliseconds, would race them, so it waits meanwhile.
     */
    @BeforeEach
    void fulfillmentWaits() {
        new Operations(http).pause("fulfillment");
    }

    @AfterEach
    void fulfillmentGoesOn() {
        new Operations(http).resume("fulfillment");
    }

    @Test
    void givenAnAcceptedOrder_whenCancelledTwice_thenCancelledOnceTheRepeatAnsweredAlikeAndAnotherReason409() {
        String orderId = place(Orders.oneBag());

        Http.Response first = cancel(orderId, "found it cheaper");
        Http.Response repeated = cancel(orderId, "found it cheaper");
        Http.Response another = cancel(orderId, "really");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(first.json().get("version").asLong()).isEqualTo(1);
        assertThat(repeated.status()).as("a client's retry").isEqualTo(200);
        assertThat(repeated.json().get("version").asLong()).isEqualTo(1);
        assertThat(another.status()).as("a second cancellation").isEqualTo(409);
        assertThat(another.json().get("type").asText()).isEqualTo("/problems/invalid-transition");
        JsonNode order = http.get("/api/orders/" + orderId + "?minVersion=1").json();
        assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(order.get("history").findValuesAsText("type")).containsExactly("OrderAccepted", "OrderCancelled");
        assertThat(eventTypes(orderId)).containsExactly("OrderAcceptedEvent", "OrderCancelledEvent");
    }

    @Test
    void givenAShipmentIsArranged_whenCancelled_then409AndNothingChanges() {
        String orderId = place(Orders.oneBag());
        OrderId id = OrderId.of(orderId);
        commandGateway.sendAndWait(new RecordStockReservedCommand(id));
        commandGateway.sendAndWait(new RecordPaymentAuthorizedCommand(id, totalOf(orderId)));
        commandGateway.sendAndWait(new RecordShipmentArrangedCommand(id));

        Http.Response response = cancel(orderId, "too late");

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/invalid-transition");
        assertThat(eventTypes(orderId)).doesNotContain("OrderCancelledEvent");
        JsonNode order = http.get("/api/orders/" + orderId + "?minVersion=3").json();
        assertThat(order.get("status").asText()).isIn("SHIPMENT_ARRANGED", "COMPLETED");
    }

    @Test
    void givenAnOrderPastTheSnapshotThreshold_thenASnapshotIsStoredAndTheOrderStillLoadsCorrectly() {
        String orderId = place(Orders.oneBag());
        OrderId id = OrderId.of(orderId);
        commandGateway.sendAndWait(new RecordStockReservedCommand(id));
        commandGateway.sendAndWait(new RecordPaymentAuthorizedCommand(id, totalOf(orderId)));
        commandGateway.sendAndWait(new RecordShipmentArrangedCommand(id));

        Map<String, Object> snapshot = jdbc.queryForMap("SELECT sequence_number, "
                + "pg_typeof(payload)::text AS column_type FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                orderId);
        assertThat(snapshot.get("column_type")).isEqualTo("bytea");
        assertThat((Long) snapshot.get("sequence_number")).isEqualTo(2L);
        // Loaded from the snapshot plus the events after it: still knows the shipment is arranged.
        assertThat(cancel(orderId, "too late").status()).isEqualTo(409);
        Object completed = commandGateway.sendAndWait(
                new io.orderflow.order.api.OrderCommands.CompleteOrderCommand(id));
        assertThat(completed).hasFieldOrPropertyWithValue("version", 4L);
    }

    @Test
    void givenACancellation_whenItHasNoReasonOrIsMalformed_then400AndNothingStored() {
        String orderId = place(Orders.oneBag());
        long before = storedEvents();

        assertThat(http.postJson("/api/orders/" + orderId + "/cancel", "{}").status()).isEqualTo(400);
        assertThat(http.postJson("/api/orders/" + orderId + "/cancel", "{\"reason\": \"  \"}").status())
                .isEqualTo(400);
        assertThat(http.postJson("/api/orders/" + orderId + "/cancel", "{\"reason\": ").status()).isEqualTo(400);
        assertThat(http.postJson("/api/orders/not-an-id/cancel", "{\"reason\": \"x\"}").status()).isEqualTo(400);
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void givenFiftyConcurrentCancelsAndStockReservations_thenOneCancellationWinsAndTheSequenceStaysContiguous()
            throws Exception {
        String orderId = place(Orders.oneBag());
        OrderId id = OrderId.of(orderId);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        Map<Integer, AtomicInteger> httpStatuses = new ConcurrentHashMap<>();
        AtomicInteger reservationsRefused = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_CANCELS; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                start.await();
                if (n % 5 == 0) {
                    try {
                        commandGateway.sendAndWait(new RecordStockReservedCommand(id));
                    } catch (RuntimeException refused) {
                        reservationsRefused.incrementAndGet();
                    }
                } else {
                    int status = cancel(orderId, "reason " + n).status();
                    httpStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();

        List<String> types = eventTypes(orderId);
        List<Long> sequences = jdbc.queryForList("SELECT sequence_number FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, orderId);
        assertThat(types.stream().filter("OrderCancelledEvent"::equals)).hasSize(1);
        assertThat(types.stream().filter("OrderStockReservedEvent"::equals).count()).isLessThanOrEqualTo(1);
        assertThat(sequences).containsExactlyElementsOf(LongStream.range(0, sequences.size()).boxed().toList());
        int cancels = httpStatuses.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(httpStatuses.keySet()).as("every cancel answers 200 (cancelled) or 409").isSubsetOf(200, 409);
        assertThat(httpStatuses.get(200)).as("cancels that won").hasValue(1);
        assertThat(httpStatuses.get(409)).as("cancels that lost the race").hasValue(cancels - 1);
        ScenarioReport.record(new ScenarioReport.Row("S10", "concurrent conflicting commands",
                CONCURRENT_CANCELS + " concurrent commands on one order: cancels over HTTP and stock reservations",
                CONCURRENT_CANCELS, 0, 0, "-", true,
                "HTTP cancel answers " + new java.util.TreeMap<>(httpStatuses) + " (one won; each other, with "
                        + "its own reason, lost the race); stock reservations refused " + reservationsRefused.get()
                        + "; events " + types + "; sequence numbers contiguous 0.." + (sequences.size() - 1)));
    }

    @Test
    void givenThreeOrdersOfOneCustomer_whenListedTwoPerPage_thenNewestFirstWithTheTotal() {
        UUID customer = UUID.randomUUID();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String orderId = place(Orders.twoBeansAndAMug(customer));
            placed.add(orderId);
            assertThat(http.get("/api/orders/" + orderId + "?minVersion=0").status()).isEqualTo(200);
        }

        JsonNode first = http.get("/api/customers/" + customer + "/orders?page=0&size=2").json();
        JsonNode second = http.get("/api/customers/" + customer + "/orders?page=1&size=2").json();

        assertThat(first.get("total").asLong()).isEqualTo(3);
        assertThat(first.get("items").findValuesAsText("orderId")).containsExactly(placed.get(2), placed.get(1));
        assertThat(second.get("items").findValuesAsText("orderId")).containsExactly(placed.get(0));
        assertThat(http.get("/api/customers/" + customer + "/orders?size=0").status()).isEqualTo(400);
        assertThat(http.get("/api/customers/" + customer + "/orders?page=-1").status()).isEqualTo(400);
        assertThat(http.get("/api/customers/" + customer + "/orders?size=abc").status()).isEqualTo(400);
    }

    private final java.util.Map<String, Money> totals = new java.util.HashMap<>();

    private String place(String body) {
        Http.Response response = http.postJson("/api/orders", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String orderId = response.json().get("orderId").asText();
        totals.put(orderId, Money.of(response.json().get("totalAmount").asText(),
                response.json().get("currency").asText()));
        return orderId;
    }

    /** The order's total, as accepted (what the payment ledger would record as authorized). */
    private Money totalOf(String orderId) {
        return totals.get(orderId);
    }

    private Http.Response cancel(String orderId, String reason) {
        return http.postJson("/api/orders/" + orderId + "/cancel", "{\"reason\": \"" + reason + "\"}");
    }

    private List<String> eventTypes(String orderId) {
        return jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "ORDER BY sequence_number", String.class, orderId).stream()
                .map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }
}
