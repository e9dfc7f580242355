package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.OrderStream;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.gateway.testkit.process.FaultProxy;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.gateway.testkit.process.SystemHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario S2 for Kafka: the broker stores the records but the producer never sees the acknowledgement. A fault
 * proxy stands in front of the only broker (which advertises the proxy, so every client crosses it) and drops
 * every response for longer than the producer's request timeout, while requests still reach the broker. The
 * producer retries (the idempotent producer absorbs its own retries; a send given up by the publisher is sent again
 * and lands twice), and the consumers must absorb every duplicate: no business effect twice.
 *
 * <p>Scenario S2 for the database: PostgreSQL executes what it is sent (commits included) while every answer is
 * lost, then every connection is cut, by a fault proxy between the application and PostgreSQL, several times while
 * orders flow. The application cannot know whether the commits in flight happened, so its clients get a 5xx or no
 * answer; each such client sends its request again with the same {@code Idempotency-Key}, and must get the order
 * that was stored, or a new one if none was, never a second order.
 *
 * <p>Both run on one {@link SystemHarness}: one broker and PostgreSQL, each behind its own proxy, and the packaged
 * application as its own process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LostAcknowledgementIT {

    private static final String PUBLISHER = "__axon-kafka-event-publishing-group";
    /** Orders per second of the stream. */
    private static final int RATE = ScenarioSize.pick(15, 20);
    private static final int WINDOWS = ScenarioSize.pick(1, 3);
    private static final int DATABASE_WINDOWS = ScenarioSize.pick(2, 5);
    private static final Duration DATABASE_DROPPING = Duration.ofSeconds(4);
    /** Longer than the producer's request.timeout.ms (10 s), so that sends time out and are retried. */
    private static final Duration DROPPING = Duration.ofSeconds(15);

    private SystemHarness system;

    @BeforeAll
    void start() {
        system = SystemHarness.builder().brokers(1).proxyBrokers().proxyDatabase().start();
        OrderStream.stockSku(system.http());
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void givenTheBrokersAcknowledgementsAreLost_thenDuplicatesOnTheTopicAreAbsorbedAndNoEffectRepeats()
            throws Exception {
        Http http = system.http();
        FaultProxy proxy = system.brokerProxy(0);
        List<String> recoveries = new ArrayList<>();
        long warningsBefore = system.producerWarnings();
        long droppedBytes;
        List<UUID> probes = new ArrayList<>();
        OrderStream stream = OrderStream.start(() -> http, 2, RATE, OrderStream::anyOrder);
        try {
            Thread.sleep(3_000);
            for (int window = 1; window <= WINDOWS; window++) {
                proxy.dropResponses(true);
                Thread.sleep(DROPPING.toMillis());
                proxy.dropResponses(false);
                long healedAt = System.nanoTime();
                UUID probe = new Fulfillment(http).place(OrderStream.anyOrder());
                probes.add(probe);
                awaitOnTopic(system, probe.toString(), Duration.ofSeconds(120));
                recoveries.add(Duration.ofNanos(System.nanoTime() - healedAt).toMillis() + " ms");
                Thread.sleep(3_000);
            }
        } finally {
            proxy.dropResponses(false);
            stream.stop();
        }
        droppedBytes = proxy.droppedBytes();
        ScenarioChecker checker = system.checker();
        Set<UUID> orders = new HashSet<>(stream.acknowledged());
        orders.addAll(probes);
        Map<String, Integer> ends = checker.awaitEnded(orders, Duration.ofMinutes(ScenarioSize.pick(3, 6)));
        Operations operations = new Operations(http);
        for (String processor : List.of(PUBLISHER, "order-summary", "notifications", "analytics")) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(120));
        }
        ScenarioChecker.Report report = checker.check(orders, stream.indeterminateKeys());
        long warnings = system.producerWarnings() - warningsBefore;
        long analyticsAccepted = http.get("/api/analytics/summary").json().get("ordersAccepted").asLong();

        boolean passed = report.clean() && stream.clientErrors().isEmpty();
        ScenarioReport.record(new ScenarioReport.Row("S2 broker", "lost acknowledgement from the broker",
                WINDOWS + " × " + DROPPING.toSeconds() + " s of every broker response dropped by a proxy "
                        + "(requests still reach the broker) while 2 clients placed orders",
                orders.size(), report.lostAnywhere(), report.duplicated(),
                "forwarding resumed after each window: " + String.join(", ", recoveries), passed,
                report.summary() + "; " + droppedBytes + " response bytes dropped; producer retries and "
                        + "timeouts logged " + warnings + "; analytics counted " + analyticsAccepted
                        + " accepted; end states " + ends));
        assertThat(stream.clientErrors()).as("4xx answers to valid orders").isEmpty();
        assertThat(droppedBytes).as("responses dropped by the proxy").isPositive();
        assertThat(report.clean()).as("checker: %s", report).isTrue();
    }

    @Test
    @Order(2)
    void givenTheDatabasesAnswersAreLostAndItsConnectionsCut_thenRetriesFindTheirOrdersAndNothingIsLostOrRepeated()
            throws Exception {
        Http http = system.http();
        FaultProxy proxy = system.databaseProxy();
        List<String> recoveries = new ArrayList<>();
        OrderStream stream = OrderStream.start(() -> http, 2, RATE, OrderStream::anyOrder);
        try {
            Thread.sleep(3_000);
            for (int window = 1; window <= DATABASE_WINDOWS; window++) {
                proxy.dropResponses(true);
                Thread.sleep(DATABASE_DROPPING.toMillis());
                proxy.cutConnections();
                proxy.dropResponses(false);
                long healedAt = System.nanoTime();
                long acknowledgedAt = stream.awaitAcknowledgementAfter(healedAt, Duration.ofSeconds(60));
                recoveries.add(Duration.ofNanos(acknowledgedAt - healedAt).toMillis() + " ms");
                Thread.sleep(3_000);
            }
        } finally {
            proxy.dropResponses(false);
            stream.stop();
        }
        ScenarioChecker checker = system.checker();
        // Which unanswered requests had in fact been stored, before any client asks again.
        Set<UUID> storedUnanswered = checker.check(stream.acknowledged(), stream.indeterminateKeys()).recovered();
        Map<String, UUID> retried = stream.retryIndeterminate(http, Duration.ofSeconds(120));
        Map<String, UUID> claimed = new java.util.HashMap<>();
        for (String key : retried.keySet()) {
            claimed.put(key, system.jdbc().queryForObject(
                    "SELECT order_id FROM idempotency_key WHERE idempotency_key = ?", UUID.class, key));
        }
        long answeredWithAnotherOrder = retried.entrySet().stream()
                .filter(entry -> !entry.getValue().equals(claimed.get(entry.getKey()))).count();
        long storedAnswered = retried.values().stream().filter(storedUnanswered::contains).count();

        Set<UUID> orders = new HashSet<>(stream.acknowledged());
        orders.addAll(retried.values());
        Map<String, Integer> ends = checker.awaitEnded(orders, Duration.ofMinutes(ScenarioSize.pick(3, 6)));
        Operations operations = new Operations(http);
        for (String processor : List.of(PUBLISHER, "order-summary", "notifications", "analytics")) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(180));
        }
        ScenarioChecker.Report report = checker.check(orders, Set.of());
        long parked = system.jdbc().queryForObject("SELECT count(*) FROM dead_letter_entry", Long.class);

        boolean passed = report.clean() && answeredWithAnotherOrder == 0 && parked == 0
                && storedAnswered == storedUnanswered.size() && stream.clientErrors().isEmpty();
        ScenarioReport.record(new ScenarioReport.Row("S2 database", "lost acknowledgement from the database",
                DATABASE_WINDOWS + " × " + DATABASE_DROPPING.toSeconds() + " s of every PostgreSQL answer dropped by a proxy "
                        + "(statements and commits still reach it), then every connection cut, while 2 clients "
                        + "placed orders", orders.size(), report.lostAnywhere(), report.duplicated(),
                "orders acknowledged again after each window: " + String.join(", ", recoveries), passed,
                stream.indeterminateKeys().size() + " requests without an answer or with a 5xx " 
                        + stream.failedByStatus() + "; " + storedUnanswered.size() + " of them had been "
                        + "stored (recovered); sent again with their Idempotency-Key: " + retried.size()
                        + " acknowledged, " + storedAnswered + " with the order already stored, "
                        + answeredWithAnotherOrder + " with another order; events parked as dead letters "
                        + parked + "; " + report.summary() + "; end states " + ends));
        assertThat(stream.clientErrors()).as("4xx answers to valid orders").isEmpty();
        assertThat(stream.indeterminateKeys()).as("requests the faults left without an answer").isNotEmpty();
        assertThat(answeredWithAnotherOrder).as("retries answered with another order than their key's")
                .isZero();
        assertThat(storedAnswered).as("retries of stored orders answered with that order")
                .isEqualTo(storedUnanswered.size());
        assertThat(parked).as("events parked because the database was unreachable for a moment").isZero();
        assertThat(report.clean()).as("checker: %s", report).isTrue();
    }

    private static void awaitOnTopic(SystemHarness system, String orderId, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (OrderTopic.readAll(system.kafka(KafkaPrincipal.INSPECTOR), OrderEventsTopic.NAME).stream()
                        .anyMatch(record -> orderId.equals(record.key()))) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the test's own consumer crosses the proxy too
            }
            Thread.sleep(250);
        }
        throw new AssertionError("order " + orderId + " not on the topic within " + timeout);
    }
}
