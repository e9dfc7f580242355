package io.orderflow.gateway.testkit.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many orders over few SKUs from concurrent clients, fulfilled end to end; then the books are checked: no SKU
 * oversold, stock conserved (available + reserved + shipped = initial, nothing left reserved), every order COMPLETED
 * or FAILED, and shipped units equal to completed orders. Prints completions per second and the order-to-completion
 * latency, taken from the event store's timestamps (acceptance to the order's last event).
 */
public final class FulfillmentLoad {

    /** The figures of one run; {@code endedPerSecond} counts completed and failed orders alike. */
    public record Result(int orders, int completed, int failed, double completionsPerSecond, long p50Millis,
                         long p99Millis, long maxMillis, double endedPerSecond, Instant start, Instant lastEnd) {
    }

    /** How a run places its orders: closed loop (each client as fast as it can), or open loop at a fixed rate. */
    public record Placement(int clients, double ordersPerSecond, Runnable afterPlaced) {
        public static Placement burst(int clients) {
            return new Placement(clients, 0, () -> { });
        }

        public static Placement paced(int clients, double ordersPerSecond) {
            return new Placement(clients, ordersPerSecond, () -> { });
        }

        public Placement then(Runnable afterPlaced) {
            return new Placement(clients, ordersPerSecond, afterPlaced);
        }
    }

    private FulfillmentLoad() {
    }

    public static Result run(Http http, JdbcTemplate jdbc, int orders, int clients, int skus, int stockPerSku) {
        return run(http, jdbc, orders, Placement.burst(clients), skus, stockPerSku);
    }

    public static Result run(Http http, JdbcTemplate jdbc, int orders, Placement placement, int skus,
                             int stockPerSku) {
        int clients = placement.clients();
        long intervalNanos = placement.ordersPerSecond() > 0 ? (long) (1e9 / placement.ordersPerSecond()) : 0;
        long firstDue = System.nanoTime() + 50_000_000;
        Fulfillment fulfillment = new Fulfillment(http);
        String prefix = "LOAD-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> skuNames = new ArrayList<>();
        for (int i = 1; i <= skus; i++) {
            skuNames.add(prefix + i);
            fulfillment.stockNewSku(prefix + i, "10.00", stockPerSku);
        }
        ConcurrentLinkedQueue<UUID> placed = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Instant start = Instant.now();
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < orders) {
                    if (intervalNanos > 0) {
                        long wait = firstDue + i * intervalNanos - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                    placed.add(fulfillment.place(Fulfillment.order(skuNames.get(i % skus), 1, "DE")));
                }
                return null;
            });
        }
        pool.shutdown();
        try {
            assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).as("all orders placed").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(placed).as("orders accepted").hasSize(orders);
        List<UUID> ids = List.copyOf(placed);
        placement.afterPlaced().run();

        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1)).until(() ->
                jdbc.queryForObject("select count(*) from order_summary where status in ('COMPLETED', 'FAILED', "
                        + "'CANCELLED') and order_id = any(?)", Long.class, (Object) ids.toArray(UUID[]::new))
                        == orders);

        Map<String, Integer> byStatus = new HashMap<>();
        jdbc.query("select status, count(*) from order_summary where order_id = any(?) group by status",
                row -> { byStatus.put(row.getString(1), row.getInt(2)); }, (Object) ids.toArray(UUID[]::new));
        int completed = byStatus.getOrDefault("COMPLETED", 0);
        int failed = byStatus.getOrDefault("FAILED", 0);
        assertThat(completed + failed).as("orders ended COMPLETED or FAILED: %s", byStatus).isEqualTo(orders);

        int shipped = 0;
        for (String sku : skuNames) {
            JsonNode stock = fulfillment.stock(sku);
            int available = stock.get("available").asInt();
            int reserved = stock.get("reserved").asInt();
            int out = stock.get("shipped").asInt();
            assertThat(available).as("available of %s", sku).isGreaterThanOrEqualTo(0);
            assertThat(reserved).as("left reserved of %s", sku).isZero();
            assertThat(available + reserved + out).as("stock of %s conserved", sku).isEqualTo(stockPerSku);
            shipped += out;
        }
        assertThat(shipped).as("units shipped = completed orders of one unit").isEqualTo(completed);
        assertThat(failed).as("failed only for want of stock").isEqualTo(jdbc.queryForObject(
                "select count(*) from order_summary where order_id = any(?) and failure_reason = 'OUT_OF_STOCK'",
                Integer.class, (Object) ids.toArray(UUID[]::new)));

        List<Long> latencies = new ArrayList<>();
        Instant[] lastEnd = {start};
        jdbc.query("select a.time_stamp, e.time_stamp from domain_event_entry a join domain_event_entry e "
                        + "on e.aggregate_identifier = a.aggregate_identifier "
                        + "where a.aggregate_identifier = any(?) and a.sequence_number = 0 "
                        + "and e.payload_type in ('io.orderflow.order.api.OrderCompletedEvent', "
                        + "'io.orderflow.order.api.OrderFailedEvent')",
                row -> {
                    Instant accepted = Instant.parse(row.getString(1));
                    Instant ended = Instant.parse(row.getString(2));
                    latencies.add(Duration.between(accepted, ended).toMillis());
                    if (ended.isAfter(lastEnd[0])) {
                        lastEnd[0] = ended;
                    }
                }, (Object) ids.stream().map(UUID::toString).toArray(String[]::new));
        assertThat(latencies).as("an end event per order").hasSize(orders);
        Collections.sort(latencies);
        double seconds = Duration.between(start, lastEnd[0]).toMillis() / 1000.0;
        Result result = new Result(orders, completed, failed, completed / seconds,
                latencies.get(latencies.size() / 2), latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1),
                latencies.get(latencies.size() - 1), orders / seconds, start, lastEnd[0]);
        printStepTimes(jdbc, ids);
        System.out.printf("%n=== Fulfillment under load: %d orders, %d clients%s, %d SKUs of %d units ===%n"
                        + "| orders | completed | failed (out of stock) | completions/s | ended/s | order-to-end p50 ms "
                        + "| p99 ms | max ms |%n| --- | --- | --- | --- | --- | --- | --- | --- |%n"
                        + "| %d | %d | %d | %.1f | %.1f | %d | %d | %d |%n"
                        + "stock conserved on every SKU, none oversold, %d units shipped%n",
                orders, clients, intervalNanos > 0 ? String.format(" at %.0f orders/s", placement.ordersPerSecond())
                        : "", skus, stockPerSku, orders, completed, failed, result.completionsPerSecond(),
                result.endedPerSecond(), result.p50Millis(), result.p99Millis(), result.maxMillis(), shipped);
        return result;
    }

    /** One order at a time: order-to-end median and maximum, and the median time of each step as a table. */
    public record Solo(int orders, long p50Millis, long maxMillis, String stepTable) {
    }

    /**
     * The latency of an order fulfilled on an otherwise idle system: {@code orders} orders placed one after the
     * other, each once the previous one ended. Prints and answers the median and the maximum, in milliseconds, and
     * where the time went.
     */
    public static Solo unloadedLatency(Http http, JdbcTemplate jdbc, int orders) {
        Fulfillment fulfillment = new Fulfillment(http);
        String sku = "SOLO-" + UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku(sku, "10.00", orders);
        List<Long> latencies = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            UUID orderId = fulfillment.place(Fulfillment.order(sku, 1, "DE"));
            ids.add(orderId);
            fulfillment.awaitEnd(orderId);
            List<Instant> ends = jdbc.query("select time_stamp from domain_event_entry where aggregate_identifier = ? "
                    + "order by sequence_number", (row, n) -> Instant.parse(row.getString(1)), orderId.toString());
            latencies.add(Duration.between(ends.get(0), ends.get(ends.size() - 1)).toMillis());
        }
        Collections.sort(latencies);
        Solo result = new Solo(orders, latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1),
                printStepTimes(jdbc, ids));
        System.out.printf("%n=== One order at a time: %d orders ===%n| order-to-completion p50 ms | max ms |%n"
                + "| --- | --- |%n| %d | %d |%n", orders, result.p50Millis(), result.maxMillis());
        return result;
    }

    private static final List<String> STEPS = List.of("OrderAcceptedEvent", "StockReservedEvent",
            "OrderStockReservedEvent", "PaymentAuthorizedEvent", "OrderPaymentAuthorizedEvent",
            "ShipmentArrangedEvent", "OrderShipmentArrangedEvent", "StockShippedEvent", "OrderCompletedEvent");

    /**
     * Where an order's time goes: the median time from each step's event to the next one's, over the completed
     * orders, from the event store's timestamps. A hop that crosses Kafka (a fact, then the saga's reaction to it)
     * shows queueing in the saga; the payment hop shows the provider call. Answers the table it printed.
     */
    private static String printStepTimes(JdbcTemplate jdbc, List<UUID> ids) {
        Map<String, Map<String, Instant>> byOrder = new HashMap<>();
        jdbc.query("select coalesce(convert_from(payload, 'UTF8')::jsonb ->> 'orderId', aggregate_identifier), "
                        + "payload_type, time_stamp from domain_event_entry where aggregate_identifier = any(?) "
                        + "or convert_from(payload, 'UTF8')::jsonb ->> 'orderId' = any(?)",
                row -> {
                    String type = row.getString(2).substring(row.getString(2).lastIndexOf('.') + 1);
                    byOrder.computeIfAbsent(row.getString(1), k -> new HashMap<>())
                            .put(type, Instant.parse(row.getString(3)));
                }, (Object) ids.stream().map(UUID::toString).toArray(String[]::new),
                (Object) ids.stream().map(UUID::toString).toArray(String[]::new));
        StringBuilder table = new StringBuilder("| step | median ms |\n| --- | ---: |\n");
        for (int i = 1; i < STEPS.size(); i++) {
            String from = STEPS.get(i - 1);
            String to = STEPS.get(i);
            List<Long> hops = new ArrayList<>();
            for (Map<String, Instant> order : byOrder.values()) {
                if (order.containsKey(from) && order.containsKey(to)) {
                    hops.add(Duration.between(order.get(from), order.get(to)).toMillis());
                }
            }
            Collections.sort(hops);
            table.append(String.format("| %s → %s | %s |%n", from.replace("Event", ""), to.replace("Event", ""),
                    hops.isEmpty() ? "-" : hops.get(hops.size() / 2)));
        }
        System.out.printf("%n%s", table);
        return table.toString();
    }
}
