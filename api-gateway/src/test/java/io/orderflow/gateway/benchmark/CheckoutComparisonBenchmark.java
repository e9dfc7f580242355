package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.infra.payment.PaymentProviderSimulator;
import org.HdrHistogram.Histogram;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * The headline comparison: the synchronous checkout chain that orderflow replaces ({@link SynchronousCheckout}: one
 * request validates, reserves, charges and ships) against orderflow (the request accepts; fulfillment follows from
 * the log), against the same participants and payment provider, with the provider fast, 500 ms slower and down.
 * For each: checkout latency (p50, p99), checkout success rate (the share of requests answered 2xx), and orders
 * fulfilled per second (from the first request to the last fulfillment). Orders come from 8 clients, closed loop,
 * for a SKU with stock for all. Run with
 * {@code ./mvnw -Pbenchmark verify -pl api-gateway -am -Dit.test=CheckoutComparisonBenchmark}
 * ({@code -Dbenchmark.comparison.orders}, default 400); its table goes to {@link PerformanceReport}.
 */
class CheckoutComparisonBenchmark extends BenchmarkContext {

    private static final int ORDERS = Integer.getInteger("benchmark.comparison.orders", 400);
    private static final int CLIENTS = 8;

    @Autowired
    PaymentProviderSimulator provider;

    @Autowired
    CommandGateway commands;

    record Figures(String system, String provider, int orders, Histogram latencyMicros, int succeeded,
                   int fulfilled, double seconds) {
        String row() {
            return String.format(java.util.Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.0f %% | %.1f |", system,
                    provider, orders,
                    latencyMicros.getValueAtPercentile(50) / 1000.0, latencyMicros.getValueAtPercentile(99) / 1000.0,
                    100.0 * succeeded / orders, fulfilled / seconds);
        }
    }

    @AfterEach
    void healProvider() {
        provider.faults().reset();
    }

    @Test
    void synchronousChainAgainstOrderflow() throws Exception {
        List<Figures> figures = new ArrayList<>();
        try (SynchronousCheckout chain = new SynchronousCheckout(commands, jdbc)) {
            // Warm-up of both paths.
            synchronous(chain, "warm-up", ORDERS / 2);
            orderflow("warm-up", ORDERS / 2);
            for (String mode : List.of("fast", "500 ms slower", "down")) {
                if (mode.equals("500 ms slower")) {
                    provider.faults().latency(Duration.ofMillis(500));
                } else if (mode.equals("down")) {
                    provider.faults().failNext(Integer.MAX_VALUE);
                }
                int orders = mode.equals("down") ? Math.max(40, ORDERS / 4) : ORDERS;
                figures.add(synchronous(chain, mode, orders));
                figures.add(orderflow(mode, orders));
                provider.faults().reset();
            }
            if (!chain.errors.isEmpty()) {
                System.out.println("The synchronous chain failed unexpectedly: " + chain.errors);
            }
        }
        StringBuilder table = new StringBuilder("| system | provider | orders | checkout p50 ms | checkout p99 ms "
                + "| checkout success | fulfilled per second |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        figures.forEach(f -> table.append(f.row()).append('\n'));
        System.out.printf("%n=== Checkout: the synchronous chain against orderflow (%d clients, %d cores) ===%n%s%n",
                CLIENTS, Runtime.getRuntime().availableProcessors(), table);
        PerformanceReport.record(PerformanceReport.COMPARISON, Map.of("table", table));
    }

    private Figures synchronous(SynchronousCheckout chain, String mode, int orders) throws Exception {
        String sku = stockedSku(orders);
        Http client = new Http(chain.url().replace("/checkout", ""));
        AtomicInteger fulfilled = new AtomicInteger();
        Histogram latency = new Histogram(3);
        long started = System.nanoTime();
        closedLoop(orders, () -> {
            long sent = System.nanoTime();
            Http.Response response = client.postJson("/checkout", Fulfillment.order(sku, 1, "DE"));
            record(latency, sent);
            if (response.status() == 200) {
                fulfilled.incrementAndGet();
            }
            return response.status() == 200;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Figures("synchronous chain", mode, orders, latency, fulfilled.get(), fulfilled.get(), seconds);
    }

    private Figures orderflow(String mode, int orders) throws Exception {
        String sku = stockedSku(orders);
        Fulfillment fulfillment = new Fulfillment(http);
        ConcurrentLinkedQueue<UUID> placed = new ConcurrentLinkedQueue<>();
        Histogram latency = new Histogram(3);
        long started = System.nanoTime();
        int succeeded = closedLoop(orders, () -> {
            long sent = System.nanoTime();
            Http.Response response = http.postJson("/api/orders", Fulfillment.order(sku, 1, "DE"));
            record(latency, sent);
            if (response.status() == 201) {
                placed.add(UUID.fromString(response.json().get("orderId").asText()));
            }
            return response.status() == 201;
        });
        Object[] ids = placed.toArray(UUID[]::new);
        if (mode.equals("down")) {
            // A provider that never answers leaves the orders waiting (retries, then compensation that cannot void
            // until it is back): none is fulfilled; watch for a while, then count.
            Thread.sleep(Duration.ofSeconds(20).toMillis());
        } else {
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                    jdbc.queryForObject("select count(*) from order_summary where status in ('COMPLETED', 'FAILED', "
                            + "'CANCELLED') and order_id = any(?)", Long.class, (Object) ids) == ids.length);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int completed = jdbc.queryForObject("select count(*) from order_summary where status = 'COMPLETED' "
                + "and order_id = any(?)", Integer.class, (Object) ids);
        return new Figures("orderflow", mode, orders, latency, succeeded, completed, seconds);
    }

    private String stockedSku(int units) {
        String sku = "CMP-" + UUID.randomUUID().toString().substring(0, 8);
        new Fulfillment(http).stockNewSku(sku, "10.00", units);
        return sku;
    }

    /** {@code orders} requests from {@link #CLIENTS} clients back to back; answers how many succeeded. */
    private static int closedLoop(int orders, java.util.concurrent.Callable<Boolean> request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        Map<Integer, Throwable> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < orders) {
                    try {
                        if (request.call()) {
                            succeeded.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.put(i, e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        return succeeded.get();
    }

    private static void record(Histogram histogram, long sentNanos) {
        synchronized (histogram) {
            histogram.recordValue(Math.max(1, (System.nanoTime() - sentNanos) / 1000));
        }
    }
}
