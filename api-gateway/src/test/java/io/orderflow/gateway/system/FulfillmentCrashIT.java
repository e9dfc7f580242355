package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.AppProcess;
import io.orderflow.gateway.testkit.client.Fulfillment;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged application is killed with SIGKILL in the middle of the fulfillment saga, at each step, and started
 * again on the same data (scenario S7). Each phase arms one crash point (CrashPoints): the process kills itself the
 * moment a saga reaches it, so every step is hit for certain. After the last restart every saga must complete or
 * compensate, each completed order must be charged exactly once, no failed order may keep a charge, and stock
 * must balance (available + reserved + shipped = initial, nothing left reserved).
 */
class FulfillmentCrashIT {

    private static final int INITIAL_STOCK = 50;
    private static final String SKU = "CRASH-1";
    private static final String EXPENSIVE_SKU = "CRASH-9";

    /** Crash point, and whether the order placed in its phase is one the provider declines. */
    private static final Map<String, Boolean> PHASES = new LinkedHashMap<>();

    static {
        PHASES.put("after-stock-reserved", false);
        PHASES.put("before-payment-call", false);
        PHASES.put("after-payment-answer", false);
        PHASES.put("before-shipment", false);
        PHASES.put("during-compensation", true);
    }

    @Test
    void killedAtEachSagaStep_everySagaEndsChargedAtMostOnceAndStockBalances() {
        Path home = Path.of("target", "crash-home-" + UUID.randomUUID()).toAbsolutePath();
        Map<UUID, Boolean> orders = new LinkedHashMap<>();
        Map<String, Long> killedAfterMillis = new TreeMap<>();
        List<Placement> unplaced = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<String, Boolean> phase : PHASES.entrySet()) {
            try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home,
                    Map.of("ORDERFLOW_CRASH_POINTS", phase.getKey()))) {
                long started = System.nanoTime();
                try {
                    app.start(Duration.ofSeconds(120));
                } catch (IllegalStateException diedWhileStarting) {
                    // A saga left over from the previous kill reached this phase's point while recovering.
                    assertCrashedAt(app, phase.getKey());
                    killedAfterMillis.put(phase.getKey() + " (while recovering)",
                            Duration.ofNanos(System.nanoTime() - started).toMillis());
                    continue;
                }
                Fulfillment fulfillment = new Fulfillment(app.http());
                if (first) {
                    fulfillment.stockNewSku(SKU, "10.00", INITIAL_STOCK);
                    fulfillment.stockNewSku(EXPENSIVE_SKU, "10000.00", INITIAL_STOCK);
                    first = false;
                }
                long placed = System.nanoTime();
                unplaced.add(new Placement(phase.getKey(), phase.getValue()));
                boolean cutOff = placeAll(fulfillment, unplaced, orders);
                boolean died = app.awaitExit(Duration.ofSeconds(90));
                assertThat(died).as("the process reached crash point %s; see %s", phase.getKey(), app.log())
                        .isTrue();
                assertCrashedAt(app, phase.getKey());
                killedAfterMillis.put(phase.getKey() + (cutOff ? " (while an order was being placed)" : ""),
                        Duration.ofNanos(System.nanoTime() - placed).toMillis());
            }
        }

        try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home, Map.of())) {
            Duration recovery = app.start(Duration.ofSeconds(120));
            Fulfillment fulfillment = new Fulfillment(app.http());
            assertThat(placeAll(fulfillment, unplaced, orders)).as("placing with no crash point armed").isFalse();
            Map<String, Integer> ends = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            int charged = 0;
            long duplicatedCharges = 0;
            for (UUID orderId : orders.keySet()) {
                JsonNode order = fulfillment.awaitEnd(orderId);
                String status = order.get("status").asText();
                String end = status
                        + (order.hasNonNull("failureReason") ? " " + order.get("failureReason").asText() : "");
                ends.merge(end, 1, Integer::sum);
                long authorized = fulfillment.ledgerEntries(orderId, "AUTHORIZED");
                if (authorized > 1) {
                    duplicatedCharges++;
                }
                if ("COMPLETED".equals(status) && (authorized != 1 || fulfillment.ledger(orderId).size() != 1)) {
                    problems.add("completed order " + orderId + " has ledger " + fulfillment.ledger(orderId));
                }
                if (!"COMPLETED".equals(status) && authorized != 0) {
                    problems.add("failed order " + orderId + " keeps " + authorized + " charges");
                }
                if (!status.equals(orders.get(orderId) ? "FAILED" : "COMPLETED")) {
                    problems.add("order " + orderId + " ended " + end);
                }
                charged += (int) authorized;
            }
            long declinedOrders = orders.values().stream().filter(declined -> declined).count();
            List<String> stockLines = new ArrayList<>();
            for (String sku : List.of(SKU, EXPENSIVE_SKU)) {
                JsonNode stock = fulfillment.stock(sku);
                int available = stock.get("available").asInt();
                int reserved = stock.get("reserved").asInt();
                int shipped = stock.get("shipped").asInt();
                stockLines.add(sku + " " + available + " + " + reserved + " + " + shipped + " of " + INITIAL_STOCK);
                if (reserved != 0 || available + reserved + shipped != INITIAL_STOCK) {
                    problems.add("stock of " + sku + " does not balance: available " + available + ", reserved "
                            + reserved + ", shipped " + shipped + ", initial " + INITIAL_STOCK);
                }
            }
            int shippedUnits = fulfillment.stock(SKU).get("shipped").asInt();
            if (shippedUnits != 2 * (orders.size() - declinedOrders)) {
                problems.add("shipped " + shippedUnits + " units of " + SKU);
            }
            if (killedAfterMillis.size() != PHASES.size()) {
                problems.add("crash points reached: " + killedAfterMillis.keySet());
            }

            ScenarioReport.record(new ScenarioReport.Row("S7", "application crash mid-saga",
                    "the application JVM killed (SIGKILL at a crash point) after stock reserved, before the payment "
                            + "call, after the provider's answer, before shipment and during compensation",
                    orders.size(), problems.isEmpty() ? 0 : problems.size(), duplicatedCharges,
                    "restart to healthy " + recovery.toMillis() + " ms", problems.isEmpty(),
                    "killed after (ms) " + killedAfterMillis + "; sagas per end state " + ends + "; charges "
                            + charged + " for " + orders.size() + " orders; stock available + reserved + shipped = "
                            + "initial: " + String.join(", ", stockLines) + "; problems " + problems));
            assertThat(problems).as("every saga ends, charged at most once, stock balances").isEmpty();
            assertThat(killedAfterMillis).as("every crash point was reached").hasSize(PHASES.size());
            assertThat(ends.getOrDefault("COMPLETED", 0)).isEqualTo(orders.size() - declinedOrders);
            assertThat(ends.getOrDefault("FAILED PAYMENT_DECLINED", 0)).isEqualTo(declinedOrders);
        }
    }

    /**
     * An order of one phase, placed under its own Idempotency-Key. A saga left over from the previous kill may reach
     * the armed crash point while the order is being placed; the client then gets no answer and places it again,
     * with the same key, in the next run, as a real client would.
     */
    private record Placement(String phase, boolean declined, String body) {

        /** The body is made once: placed again under the same key, the request must be the same. */
        Placement(String phase, boolean declined) {
            this(phase, declined, Fulfillment.order(declined ? EXPENSIVE_SKU : SKU, 2, "DE"));
        }

        String idempotencyKey() {
            return "crash-test-" + phase;
        }
    }

    /** Places the waiting orders in turn; answers true if the process died before all were placed. */
    private static boolean placeAll(Fulfillment fulfillment, List<Placement> unplaced, Map<UUID, Boolean> orders) {
        while (!unplaced.isEmpty()) {
            Placement next = unplaced.get(0);
            try {
                orders.put(fulfillment.place(next.body(), next.idempotencyKey()), next.declined());
            } catch (java.io.UncheckedIOException noAnswer) {
                return true;
            }
            unplaced.remove(0);
        }
        return false;
    }

    private static void assertCrashedAt(AppProcess app, String point) {
        try {
            assertThat(java.nio.file.Files.readString(app.log())).as("log of %s", app.log())
                    .contains("Crash point " + point + " reached");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
