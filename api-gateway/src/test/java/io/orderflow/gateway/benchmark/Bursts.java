package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.client.Fulfillment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A burst of orders from a fixed number of clients in a closed loop, for the benchmarks that start their own apps. */
final class Bursts {

    private Bursts() {
    }

    /** Places {@code orders} orders of one SKU from {@code clients} clients; answers each order's id with the time
     * its answer came. */
    static Map<String, Long> place(Fulfillment fulfillment, String sku, int orders, int clients) throws Exception {
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        AtomicInteger remaining = new AtomicInteger(orders);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        java.util.UUID order = fulfillment.place(Fulfillment.order(sku, 1, "DE"));
                        acceptedAt.put(order.toString(), System.currentTimeMillis());
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return acceptedAt;
    }
}
