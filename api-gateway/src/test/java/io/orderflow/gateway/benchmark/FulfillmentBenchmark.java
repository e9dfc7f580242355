package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.system.EmbeddedSystemTest;
import io.orderflow.gateway.system.FulfillmentLoad;
import org.junit.jupiter.api.Test;

/**
 * The fulfillment saga's throughput and order-to-completion latency: 1,000 orders over 5 SKUs from 8 concurrent
 * clients ({@code -Dbenchmark.fulfillment.orders}, {@code .clients}, {@code .skus}, {@code .stock}), with enough
 * stock for 90% of them, after 30 orders one at a time ({@code .solo}) for the latency of an order that does not
 * queue. Run with {@code ./mvnw -Pbenchmark verify -pl api-gateway -am}; it prints figures and
 * checks only correctness (no oversell, stock conserved, every order ended), never timings.
 */
class FulfillmentBenchmark extends EmbeddedSystemTest {

    @Test
    void fulfillmentThroughputAndLatency() {
        int orders = Integer.getInteger("benchmark.fulfillment.orders", 1000);
        int skus = Integer.getInteger("benchmark.fulfillment.skus", 5);
        int stock = Integer.getInteger("benchmark.fulfillment.stock", orders * 9 / 10 / skus);
        // Warm up, and see what one order costs when nothing queues, before the load.
        FulfillmentLoad.unloadedLatency(http, jdbc, Integer.getInteger("benchmark.fulfillment.solo", 30));
        FulfillmentLoad.run(http, jdbc, orders, Integer.getInteger("benchmark.fulfillment.clients", 8), skus, stock);
    }
}
