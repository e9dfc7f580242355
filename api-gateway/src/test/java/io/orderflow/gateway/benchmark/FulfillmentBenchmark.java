package io.orderflow.gateway.benchmark;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.FulfillmentLoad;
import io.orderflow.gateway.testkit.client.FulfillmentLoad.Placement;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.infra.payment.PaymentProviderSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Fulfillment's throughput and order-to-end latency, in phases of one run ({@code -Dbenchmark.fulfillment.orders},
 * {@code .clients}, {@code .skus}; enough stock for 90% of each phase's orders, so a tenth fail out of stock):
 * <ol>
 *   <li>one order at a time ({@code .solo}), for the latency of an order that does not queue;</li>
 *   <li>a burst from 8 clients, with the CPU each component spent per order;</li>
 *   <li>open loop at half the burst's rate, for the latency when the flow keeps up;</li>
 *   <li>the burst again with the payment provider 500 ms slower ({@code .slow-provider-ms}), as a ratio;</li>
 *   <li>catch-up: the fulfillment processor paused while {@code .outage} orders are accepted, then resumed.</li>
 * </ol>
 * Run with {@code ./mvnw -Pbenchmark verify -pl api-gateway -am -Dit.test=FulfillmentBenchmark}; it prints the
 * figures (and hands them to {@link PerformanceReport}) and checks only correctness (no oversell, stock conserved,
 * every order ended), never timings.
 */
class FulfillmentBenchmark extends BenchmarkContext {

    private static final int ORDERS = Integer.getInteger("benchmark.fulfillment.orders", 1500);
    private static final int CLIENTS = Integer.getInteger("benchmark.fulfillment.clients", 8);
    private static final int SKUS = Integer.getInteger("benchmark.fulfillment.skus", 5);
    private static final int OUTAGE = Integer.getInteger("benchmark.fulfillment.outage", 1000);
    private static final long SLOW_MS = Long.getLong("benchmark.fulfillment.slow-provider-ms", 500);

    @Autowired
    PaymentProviderSimulator provider;


    @AfterEach
    void healProvider() {
        provider.faults().reset();
    }

    @Test
    void fulfillmentThroughputAndLatency() throws Exception {
        int stock = ORDERS * 9 / 10 / SKUS;
        // Warm-up (JIT, pools), then one order at a time.
        FulfillmentLoad.run(http, jdbc, 300, Placement.burst(CLIENTS), SKUS, 300 * 9 / 10 / SKUS);
        FulfillmentLoad.Solo solo = FulfillmentLoad.unloadedLatency(http, jdbc,
                Integer.getInteger("benchmark.fulfillment.solo", 30));

        CpuMeter cpu = new CpuMeter();
        CpuMeter.Snapshot before = cpu.snapshot();
        FulfillmentLoad.Result burst = FulfillmentLoad.run(http, jdbc, ORDERS, Placement.burst(CLIENTS), SKUS, stock);
        CpuMeter.Snapshot after = cpu.snapshot();
        Map<String, Double> cpuPerOrder = CpuMeter.perOrder(before, after, ORDERS);
        double burstCpuPerOrder = CpuMeter.totalMillis(before, after) / ORDERS;

        double halfRate = burst.endedPerSecond() / 2;
        int pacedOrders = (int) Math.max(200, Math.min(ORDERS, halfRate * 20));
        CpuMeter.Snapshot pacedBefore = cpu.snapshot();
        FulfillmentLoad.Result paced = FulfillmentLoad.run(http, jdbc, pacedOrders,
                Placement.paced(CLIENTS, halfRate), SKUS, pacedOrders * 9 / 10 / SKUS);
        double pacedBusy = CpuMeter.busyPercent(pacedBefore, cpu.snapshot(),
                Duration.between(paced.start(), paced.lastEnd()).toMillis());

        provider.faults().latency(Duration.ofMillis(SLOW_MS));
        FulfillmentLoad.Result slow = FulfillmentLoad.run(http, jdbc, ORDERS, Placement.burst(CLIENTS), SKUS, stock);
        provider.faults().reset();

        Operations operations = new Operations(http);
        AtomicReference<Instant> resumed = new AtomicReference<>();
        AtomicReference<CpuMeter.Snapshot> atResume = new AtomicReference<>();
        operations.pause("fulfillment");
        FulfillmentLoad.Result outage;
        try {
            outage = FulfillmentLoad.run(http, jdbc, OUTAGE, Placement.burst(CLIENTS).then(() -> {
                atResume.set(cpu.snapshot());
                resumed.set(Instant.now());
                operations.resume("fulfillment");
            }), SKUS, OUTAGE * 9 / 10 / SKUS);
        } finally {
            if (resumed.get() == null) {
                operations.resume("fulfillment");
            }
        }
        double catchUpSeconds = Duration.between(resumed.get(), outage.lastEnd()).toMillis() / 1000.0;
        double catchUpCpuPerOrder = CpuMeter.totalMillis(atResume.get(), cpu.snapshot()) / OUTAGE;
        StorageMeter.PerOrder storage = StorageMeter.measure(jdbc, kafka(KafkaPrincipal.INSPECTOR));

        String report = String.format("""

                === Fulfillment benchmark (%d cores) ===
                | measure | figure |
                | --- | ---: |
                | one order alone, order-to-end p50 / max ms | %d / %d |
                | burst of %d orders from %d clients: orders ended per second | %.1f |
                | burst: order-to-end p50 / p99 ms | %d / %d |
                | open loop at half that rate (%.1f orders/s, %d orders): order-to-end p50 / p99 ms | %d / %d |
                | machine busy during the open loop | %.0f %% |
                | burst with the provider %d ms slower: orders ended per second | %.1f |
                | ratio slow / fast | %.2f |
                | catch-up after %d orders accepted while fulfillment was paused, s | %.1f |
                | CPU per order, burst / catch-up, ms | %.1f / %.1f |

                CPU per order in the burst (JVM threads and the servers' processes):
                %s
                Storage per order, after %d orders in the store (one copy; multiply Kafka's by the replication factor):
                %s""", Runtime.getRuntime().availableProcessors(), solo.p50Millis(), solo.maxMillis(), ORDERS,
                CLIENTS, burst.endedPerSecond(), burst.p50Millis(), burst.p99Millis(), halfRate, pacedOrders,
                paced.p50Millis(), paced.p99Millis(), pacedBusy, SLOW_MS, slow.endedPerSecond(),
                slow.endedPerSecond() / burst.endedPerSecond(), OUTAGE, catchUpSeconds, burstCpuPerOrder,
                catchUpCpuPerOrder, CpuMeter.table(cpuPerOrder), storage.orders(), storage.table());
        System.out.println(report);

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("skus", SKUS);
        figures.put("solo.orders", solo.orders());
        figures.put("solo.p50", solo.p50Millis());
        figures.put("solo.max", solo.maxMillis());
        figures.put("solo.stepTable", solo.stepTable());
        figures.put("solo.steps", inline(solo.stepTable()));
        figures.put("burst.orders", ORDERS);
        figures.put("burst.clients", CLIENTS);
        figures.put("burst.endedPerSecond", burst.endedPerSecond());
        figures.put("burst.p50", burst.p50Millis());
        figures.put("burst.p99", burst.p99Millis());
        figures.put("burst.cpuPerOrder", burstCpuPerOrder);
        figures.put("burst.cpuTable", CpuMeter.table(cpuPerOrder));
        figures.put("paced.rate", halfRate);
        figures.put("paced.orders", pacedOrders);
        figures.put("paced.p50", paced.p50Millis());
        figures.put("paced.p99", paced.p99Millis());
        figures.put("paced.busy", pacedBusy);
        figures.put("slow.ms", SLOW_MS);
        figures.put("slow.endedPerSecond", slow.endedPerSecond());
        figures.put("slow.ratio", slow.endedPerSecond() / burst.endedPerSecond());
        figures.put("outage.orders", OUTAGE);
        figures.put("catchup.seconds", catchUpSeconds);
        figures.put("catchup.cpuPerOrder", catchUpCpuPerOrder);
        figures.put("storage.orders", storage.orders());
        figures.put("storage.kafkaPerOrder", storage.kafkaTotal());
        figures.put("storage.table", storage.table());
        storage.bytes().forEach((where, bytes) -> figures.put("storage." + where.replace(' ', '_'), bytes));
        PerformanceReport.record(PerformanceReport.FULFILLMENT, figures);
    }

    /** The step table's rows on one line: "OrderAccepted → StockReserved 12 ms; ...". */
    private static String inline(String stepTable) {
        return stepTable.lines().skip(2).map(line -> line.split("\\|"))
                .filter(cells -> cells.length >= 3)
                .map(cells -> cells[1].trim() + " " + cells[2].trim() + " ms")
                .collect(Collectors.joining("; "));
    }
}
