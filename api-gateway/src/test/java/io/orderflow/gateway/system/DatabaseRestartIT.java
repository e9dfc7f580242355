package io.orderflow.gateway.system;

import io.orderflow.infra.mail.SmtpServer;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario S8: PostgreSQL is stopped immediately ({@code pg_ctl stop -m immediate}: no checkpoint, crash recovery
 * on the next start) while 4 clients place orders, and started again. Every acknowledged order must survive, the
 * processors must resume, and the gap audit must find no skipped event; the checker of SCENARIOS.md judges lost
 * and duplicated effects. Requests made while the database is down fail (a 5xx, the server's problem) or time out;
 * none is acknowledged without its event.
 */
class DatabaseRestartIT extends EmbeddedSystemTest {

    private static final int CLIENTS = 4;
    private static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("scenario.s8.seconds", 12));
    private static final Duration DOWN = Duration.ofSeconds(4);

    @Autowired
    EmbeddedPostgresServer postgres;

    @Autowired
    SmtpServer smtp;

    @Value("${orderflow.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void givenOrdersFlowing_whenPostgresIsStoppedImmediatelyAndStarted_thenNoAcknowledgedOrderIsLostOrSkipped()
            throws Exception {
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger indeterminate = new AtomicInteger();
        AtomicLong firstAckAfterRestart = new AtomicLong();
        AtomicLong restartedAt = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            clients.submit(() -> {
                try {
                    Http own = new Http("http://127.0.0.1:" + port);
                    while (running.get()) {
                        try {
                            Http.Response placed = own.postJson("/api/orders", Orders.oneBag());
                            if (placed.status() == 201) {
                                acknowledged.add(UUID.fromString(placed.json().get("orderId").asText()));
                                if (restartedAt.get() != 0) {
                                    firstAckAfterRestart.compareAndSet(0, System.nanoTime());
                                }
                            } else {
                                assertThat(placed.status()).as(placed.body()).isGreaterThanOrEqualTo(500);
                                failed.incrementAndGet();
                                Thread.sleep(100);
                            }
                        } catch (UncheckedIOException timedOutOrCut) {
                            indeterminate.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
                return null;
            });
        }

        long started = System.nanoTime();
        Thread.sleep(LOAD.toMillis() / 4);
        long stoppedAt = System.nanoTime();
        postgres.stopImmediate();
        Thread.sleep(DOWN.toMillis());
        postgres.start();
        restartedAt.set(System.nanoTime());
        Thread.sleep(Math.max(0, LOAD.toMillis() - Duration.ofNanos(System.nanoTime() - started).toMillis()));
        running.set(false);
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        clients.shutdown();

        Fulfillment fulfillment = new Fulfillment(http);
        Map<String, Integer> ends = new TreeMap<>();
        for (UUID orderId : acknowledged) {
            ends.merge(fulfillment.awaitStatus(orderId, Duration.ofSeconds(180), "COMPLETED", "FAILED",
                    "CANCELLED").get("status").asText(), 1, Integer::sum);
        }
        Operations operations = new Operations(http);
        for (String processor : List.of("__axon-kafka-event-publishing-group", "order-summary", "fulfillment",
                "analytics", "notifications")) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(120));
        }
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - restartedAt.get()).toMillis();
        ScenarioChecker.Report report = new ScenarioChecker(jdbc, bootstrapServers, smtp).check(acknowledged);
        var audit = http.get("/api/admin/gap-audit").json();
        long skipped = 0;
        for (var projection : audit.get("projections")) {
            skipped += projection.get("skipped").size();
        }

        System.out.printf("%n=== S8: PostgreSQL stopped immediately for %d s under %d clients, then started ===%n%s%n"
                        + "%s%nrequests failed while it was down: %d, indeterminate: %d; first order acknowledged "
                        + "%d ms after the restart; every order ended and every processor caught up %d ms after the "
                        + "restart; end states %s; skipped events found by the gap audit: %d%n",
                DOWN.toSeconds(), CLIENTS, ScenarioChecker.Report.header(), report.row(), failed.get(),
                indeterminate.get(), firstAckAfterRestart.get() == 0 ? -1
                        : Duration.ofNanos(firstAckAfterRestart.get() - restartedAt.get()).toMillis(),
                recoveredMillis, ends, skipped);
        assertThat(Duration.ofNanos(restartedAt.get() - stoppedAt)).isGreaterThanOrEqualTo(DOWN);
        assertThat(acknowledged).as("orders acknowledged").isNotEmpty();
        assertThat(firstAckAfterRestart.get()).as("orders were acknowledged again after the restart").isPositive();
        assertThat(ends).containsOnlyKeys("COMPLETED");
        assertThat(report.clean()).as("checker: %s", report).isTrue();
        assertThat(skipped).as("events skipped by a projection").isZero();
    }
}
