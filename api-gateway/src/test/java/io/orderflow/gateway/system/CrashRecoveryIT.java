package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.KafkaEndpoints;
import io.orderflow.gateway.testkit.process.AppProcess;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.order.api.OrderEventsTopic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 of the application while orders stream in, then a restart on the same data: every acknowledged order
 * is still there and every stored event reaches Kafka. Runs the packaged jar as a real process.
 */
class CrashRecoveryIT {

    private static final int WRITERS = 4;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 120;

    @Test
    void givenOrdersStreaming_whenTheApplicationIsKilledAndRestarted_thenNothingAcceptedIsLostOrUnpublished()
            throws Exception {
        Path home = Path.of("target", "crash-it-" + UUID.randomUUID()).toAbsolutePath();
        // Three brokers: the run also shows ORDERFLOW_KAFKA_BROKERS=3 and a whole cluster restarting after the kill.
        try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home, Map.of("ORDERFLOW_KAFKA_BROKERS", "3"))) {
            Duration firstStart = app.start(Duration.ofSeconds(180));
            assertTopicsReplicatedThreeTimesWithTwoInSync(KafkaEndpoints.inspector(app.endpoints()));

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger indeterminate = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Http http = app.http();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int i = 0; i < WRITERS; i++) {
                writers.submit(() -> {
                    while (!stop.get()) {
                        try {
                            Http.Response response = http.postJson("/api/orders", Orders.oneBag());
                            if (response.status() == 201) {
                                acknowledged.add(response.json().get("orderId").asText());
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (UncheckedIOException | IllegalStateException connectionLost) {
                            indeterminate.incrementAndGet();
                            sleep(50);
                        }
                    }
                });
            }
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL) {
                Thread.sleep(10);
            }
            app.kill();
            long killedAt = System.nanoTime();
            Thread.sleep(300);
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            Set<String> acked = Set.copyOf(acknowledged);

            Duration restart = app.start(Duration.ofSeconds(180));
            Duration downtime = Duration.ofNanos(System.nanoTime() - killedAt);

            Properties endpoints = app.endpoints();
            Map<String, String> storedEvents = storedOrderEvents(endpoints);
            Set<String> storedOrders = new HashSet<>(storedEvents.values());
            Set<String> lost = difference(acked, storedOrders);

            List<String> readBack = acked.stream()
                    .filter(id -> app.http().get("/api/orders/" + id + "?minVersion=0").status() != 200).toList();

            Map<String, Object> inspector = KafkaEndpoints.inspector(endpoints);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            List<OrderTopic.Record> records;
            Set<String> published;
            do {
                records = OrderTopic.readAll(inspector, OrderEventsTopic.NAME);
                published = records.stream().map(OrderTopic.Record::messageId).collect(Collectors.toSet());
            } while (!published.containsAll(storedEvents.keySet()) && System.nanoTime() < deadline && pause());
            Set<String> publishLost = difference(storedEvents.keySet(), published);
            int duplicatesOnTopic = records.size() - published.size();
            Set<String> recovered = difference(storedOrders, acked);
            Invoices invoices = awaitInvoices(endpoints, storedOrders, Duration.ofSeconds(120));

            System.out.printf("""
                    %n=== Crash recovery (kill -9 of the application under load, on 3 Kafka brokers) ===
                    | figure | value |
                    | --- | --- |
                    | first start | %d ms |
                    | acknowledged before kill (A) | %d |
                    | indeterminate requests | %d |
                    | refused requests | %d |
                    | events stored (E) | %d |
                    | lost (A - E) | %d |
                    | acknowledged but unreadable | %d |
                    | recovered (stored, never acknowledged) | %d |
                    | records on topic (K) | %d |
                    | publish-lost (E - K) | %d |
                    | duplicates on topic (allowed) | %d |
                    | restart to healthy | %d ms |
                    | kill to healthy | %d ms |
                    | orders invoiced (of E) | %d |
                    | orders invoiced twice | %d |
                    | invoice numbers | %s |
                    Note: kill -9 keeps the OS page cache; this does not simulate power loss.%n""",
                    firstStart.toMillis(), acked.size(), indeterminate.get(), refused.get(), storedEvents.size(),
                    lost.size(), readBack.size(), recovered.size(), records.size(), publishLost.size(),
                    duplicatesOnTopic, restart.toMillis(), downtime.toMillis(), invoices.invoiced(),
                    invoices.twice(), invoices.numbers());

            assertThat(refused.get()).as("no request may be refused").isZero();
            assertThat(lost).as("acknowledged orders missing from the event store").isEmpty();
            assertThat(readBack).as("acknowledged orders the API cannot read back").isEmpty();
            assertThat(publishLost).as("stored events that never reached Kafka").isEmpty();
            // Billing across the kill (ADR 0024; at scale, scenario S13): one invoice per order, no gap in the numbers.
            assertThat(invoices.invoiced()).as("stored orders with an invoice").isEqualTo(storedOrders.size());
            assertThat(invoices.twice()).as("orders invoiced twice").isZero();
            assertThat(invoices.gapless()).as("invoice numbers %s without a gap", invoices.numbers()).isTrue();
        }
    }

    private static void assertTopicsReplicatedThreeTimesWithTwoInSync(Map<String, Object> inspector)
            throws Exception {
        try (Admin admin = Admin.create(inspector)) {
            TopicDescription topic = admin.describeTopics(List.of(OrderEventsTopic.NAME)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(OrderEventsTopic.NAME);
            assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, OrderEventsTopic.NAME);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");
        }
    }

    /** Event id to order id of every OrderAccepted event in the store. */
    private static Map<String, String> storedOrderEvents(Properties endpoints) throws SQLException {
        try (Connection connection = DriverManager.getConnection(endpoints.getProperty("jdbc.url"),
                endpoints.getProperty("jdbc.username"), endpoints.getProperty("jdbc.password"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT event_identifier, aggregate_identifier "
                     + "FROM domain_event_entry WHERE payload_type LIKE '%OrderAcceptedEvent'")) {
            Map<String, String> events = new java.util.HashMap<>();
            while (rows.next()) {
                events.put(rows.getString(1), rows.getString(2));
            }
            return events;
        }
    }

    /** Orders with an invoice, orders with more than one, the numbers' range and whether it has no gap. */
    private record Invoices(int invoiced, long twice, String numbers, boolean gapless) {
    }

    /** Waits until every order has its invoice (they complete after the restart), or the deadline. */
    private static Invoices awaitInvoices(Properties endpoints, Set<String> orders, Duration deadline)
            throws SQLException {
        long until = System.nanoTime() + deadline.toNanos();
        while (true) {
            Map<String, Integer> perOrder = new java.util.HashMap<>();
            List<Integer> sequences = new java.util.ArrayList<>();
            try (Connection connection = DriverManager.getConnection(endpoints.getProperty("jdbc.url"),
                    endpoints.getProperty("jdbc.username"), endpoints.getProperty("jdbc.password"));
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT order_id, sequence FROM billing_document "
                         + "WHERE kind = 'INVOICE' ORDER BY year, sequence")) {
                while (rows.next()) {
                    perOrder.merge(rows.getString(1), 1, Integer::sum);
                    sequences.add(rows.getInt(2));
                }
            }
            int invoiced = (int) orders.stream().filter(perOrder::containsKey).count();
            if (invoiced == orders.size() || System.nanoTime() > until) {
                boolean gapless = sequences.equals(java.util.stream.IntStream.rangeClosed(1, sequences.size())
                        .boxed().toList());
                return new Invoices(invoiced, perOrder.values().stream().filter(n -> n > 1).count(),
                        sequences.isEmpty() ? "none" : "1.." + sequences.get(sequences.size() - 1)
                                + " (" + sequences.size() + ")", gapless);
            }
            sleep(500);
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static boolean pause() {
        sleep(1000);
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
