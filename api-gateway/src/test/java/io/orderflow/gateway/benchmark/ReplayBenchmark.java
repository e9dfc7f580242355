package io.orderflow.gateway.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import io.orderflow.order.api.OrderShipmentArrangedEvent;
import io.orderflow.order.api.OrderStockReservedEvent;
import io.orderflow.order.api.Sku;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay speed of the order summary on a store of at least 100,000 events ({@code -Dbenchmark.replay.events}).
 *
 * <p>The store is filled with completed orders of five events each, appended through Axon's event store in
 * batches. The Kafka publisher is paused first: the benchmark measures the projection, not fulfillment of
 * synthetic orders. It then prints the live build rate, replays the order summary through the operations API
 * ({@code POST /api/admin/processors/order-summary/replay}, a rebuild beside the served data) with its progress,
 * and prints events per second from the replay's start until reads switched to the rebuilt data. Run with
 * {@code ./mvnw -Pbenchmark verify -pl api-gateway -am -Dit.test=ReplayBenchmark}.
 */
class ReplayBenchmark extends BenchmarkContext {

    private static final int EVENTS_PER_ORDER = 5;
    private static final int BATCH = 1_000;
    private static final PostalAddress HOME = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionManager transactions;

    /** The publisher is paused for the measurement; the other benchmarks sharing this application need it back. */
    @AfterEach
    void resumePublisher() {
        new Operations(http).resume("__axon-kafka-event-publishing-group");
    }

    @Test
    void orderSummaryReplaySpeed() {
        int wanted = Integer.getInteger("benchmark.replay.events", 100_000);
        Operations operations = new Operations(http);
        operations.pause("__axon-kafka-event-publishing-group");

        long appendStarted = System.nanoTime();
        int orders = wanted / EVENTS_PER_ORDER;
        List<EventMessage<?>> batch = new ArrayList<>(BATCH);
        Instant at = Instant.now().minusSeconds(3600);
        for (int i = 0; i < orders; i++) {
            String orderId = UUID.randomUUID().toString();
            OrderId id = new OrderId(UUID.fromString(orderId));
            BigDecimal price = new BigDecimal("19.99");
            List<Object> payloads = List.of(
                    new OrderAcceptedEvent(id, new CustomerId(UUID.randomUUID()),
                            List.of(new OrderLine(new Sku("SKU-1"), "Beans", 1, price, price)), price, "EUR", HOME,
                            null, at, 2),
                    new OrderStockReservedEvent(id), new OrderPaymentAuthorizedEvent(id),
                    new OrderShipmentArrangedEvent(id), new OrderCompletedEvent(id));
            for (int seq = 0; seq < payloads.size(); seq++) {
                batch.add(new GenericDomainEventMessage<>("Order", orderId, seq, payloads.get(seq)));
            }
            if (batch.size() >= BATCH || i == orders - 1) {
                List<EventMessage<?>> appended = List.copyOf(batch);
                transactions.executeInTransaction(() -> eventStore.publish(appended));
                batch.clear();
            }
            if ((i + 1) % Math.max(1, orders / 10) == 0) {
                System.out.printf("appending: %d %% (%d events)%n", (i + 1) * 100L / orders,
                        (i + 1L) * EVENTS_PER_ORDER);
            }
        }
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        double appendSeconds = seconds(appendStarted);
        System.out.printf("appended %d events in %.1f s; the store holds %d%n", orders * EVENTS_PER_ORDER,
                appendSeconds, events);

        long liveStarted = System.nanoTime();
        operations.awaitCaughtUp("order-summary", Duration.ofMinutes(15));
        double liveSeconds = seconds(liveStarted);
        long summaries = summaries();

        // The replay starts in the background after the 202: it is over once reads are served by a newer generation.
        int servedBefore = jdbc.queryForObject("SELECT served FROM projection_generation "
                + "WHERE projection = 'order-summary'", Integer.class);
        CpuMeter cpu = new CpuMeter();
        CpuMeter.Snapshot before = cpu.snapshot();
        long replayStarted = System.nanoTime();
        assertThat(operations.post("/api/admin/processors/order-summary/replay").status()).isEqualTo(202);
        long[] lastPrint = {0};
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (System.nanoTime() - lastPrint[0] > 5_000_000_000L) {
                JsonNode view = operations.processor("order-summary");
                System.out.printf("replaying: %s %% after %.1f s%n", view.get("progress"), seconds(replayStarted));
                lastPrint[0] = System.nanoTime();
            }
            return jdbc.queryForObject("SELECT served > ? AND building = served FROM projection_generation "
                    + "WHERE projection = 'order-summary'", Boolean.class, servedBefore);
        });
        double replaySeconds = seconds(replayStarted);
        CpuMeter.Snapshot after = cpu.snapshot();
        assertThat(summaries()).as("orders after the replay").isEqualTo(summaries);
        Map<String, Double> cpuPerEvent = CpuMeter.perOrder(before, after, (int) events);

        System.out.printf("%n=== Order-summary replay on a store of %d events (%d orders summarized) ===%n"
                        + "| phase | seconds | events/s |%n| --- | --- | --- |%n"
                        + "| append (batches of %d) | %.1f | %.0f |%n"
                        + "| live build (from the append's start) | %.1f | %.0f |%n"
                        + "| replay, until reads switched to the rebuilt data | %.1f | %.0f |%n",
                events, summaries, BATCH, appendSeconds, orders * EVENTS_PER_ORDER / appendSeconds,
                appendSeconds + liveSeconds, events / (appendSeconds + liveSeconds), replaySeconds,
                events / replaySeconds);
        System.out.printf("CPU per event during the replay:%n%s", CpuMeter.table(cpuPerEvent));

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events", events);
        figures.put("append.seconds", appendSeconds);
        figures.put("append.eventsPerSecond", orders * EVENTS_PER_ORDER / appendSeconds);
        figures.put("live.seconds", appendSeconds + liveSeconds);
        figures.put("live.eventsPerSecond", events / (appendSeconds + liveSeconds));
        figures.put("replay.seconds", replaySeconds);
        figures.put("replay.eventsPerSecond", events / replaySeconds);
        figures.put("replay.cpuPerEvent", CpuMeter.totalMillis(before, after) / events);
        figures.put("replay.cpuPostgresPerEvent", CpuMeter.postgresMillis(before, after) / events);
        figures.put("replay.cpuTable", CpuMeter.table(cpuPerEvent).replace("per order", "per event"));
        PerformanceReport.record(PerformanceReport.REPLAY, figures);
    }

    private long summaries() {
        return jdbc.queryForObject("SELECT count(*) FROM order_summary WHERE generation = "
                + "(SELECT served FROM projection_generation WHERE projection = 'order-summary')", Long.class);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
