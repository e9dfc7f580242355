package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.KafkaEndpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.gateway.testkit.process.AppProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka Connect in the development run (scenario S14), on the packaged application with its embedded worker: both
 * connector files are applied at start-up and run; a stock change made through the API is on the change-data
 * topic within seconds; every order event reaches the reporting table exactly once, although the worker is killed
 * with SIGKILL while orders flow and its supervisor starts it again (the source sends again what it had not
 * committed, the sink's upsert by store position absorbs it).
 */
class KafkaConnectIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SKU = "CDC-1";
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void connectorsRun_stockChangesAreCaptured_andEveryOrderFactIsCopiedOnceAcrossAWorkerKill() throws Exception {
        int orders = ScenarioSize.pick(40, 200);
        Path home = Path.of("target", "kafka-connect-" + UUID.randomUUID()).toAbsolutePath();
        try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home,
                Map.of("ORDERFLOW_CONNECT_EMBEDDED", "true"))) {
            app.start(WAIT);
            Http http = app.http();
            Properties endpoints = app.endpoints();
            Map<String, Object> inspector = KafkaEndpoints.inspector(endpoints);

            JsonNode connect = awaitConnectorsRunning(http, WAIT);
            assertThat(connect.get("files").findValuesAsText("state")).containsOnly("CREATED");

            // A stock change through the API, on the change-data topic.
            Fulfillment fulfillment = new Fulfillment(http);
            fulfillment.stockNewSku(SKU, "2.50", orders * 2);
            int level = 100_000 + ThreadLocalRandom.current().nextInt(100_000);
            long changed = System.nanoTime();
            assertThat(http.put("/api/inventory/" + SKU, "{\"available\": " + level + "}").status()).isEqualTo(200);
            long captureMillis = awaitStockLevel(inspector, SKU, level, changed, Duration.ofSeconds(60));
            System.out.printf("Stock change seen on orderflow.cdc.stock-levels %d ms after the API call%n",
                    captureMillis);
            assertThat(captureMillis).as("the stock change reached the CDC topic within a minute")
                    .isGreaterThanOrEqualTo(0);

            // Orders, with the worker killed halfway and started again by its supervisor.
            List<UUID> placed = new ArrayList<>();
            for (int i = 0; i < orders / 2; i++) {
                placed.add(fulfillment.place(Fulfillment.order(SKU, 1, "DE")));
            }
            long killedPid = Long.parseLong(Files.readString(home.resolve("connect/worker.pid")).trim());
            long killed = System.nanoTime();
            ProcessHandle.of(killedPid).ifPresent(ProcessHandle::destroyForcibly);
            for (int i = orders / 2; i < orders; i++) {
                placed.add(fulfillment.place(Fulfillment.order(SKU, 1, "DE")));
            }
            awaitNewWorker(home, killedPid, Duration.ofSeconds(60));
            awaitConnectorsRunning(http, WAIT);
            long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            for (UUID order : placed) {
                fulfillment.awaitEnd(order);
            }

            Set<String> stored = orderEvents(endpoints, "select event_identifier from domain_event_entry "
                    + "where type = 'Order'");
            Copy copy = awaitCopied(endpoints, stored, Duration.ofSeconds(120));
            long copiedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            Set<String> lost = new HashSet<>(stored);
            lost.removeAll(copy.events());
            Set<String> foreign = new HashSet<>(copy.events());
            foreign.removeAll(stored);
            Map<String, Long> onTopic = OrderTopic.readAll(inspector, "orderflow.cdc.order-facts").stream()
                    .collect(Collectors.groupingBy(record -> record.key(), Collectors.counting()));
            long resent = onTopic.values().stream().filter(count -> count > 1).mapToLong(count -> count - 1).sum();
            boolean passed = lost.isEmpty() && copy.rows() == copy.events().size() && foreign.isEmpty()
                    && captureMillis >= 0;

            ScenarioReport.record(new ScenarioReport.Row("S14", "Kafka Connect worker crash",
                    "orders flow through the change-data source and the JDBC sink; halfway the Connect worker JVM "
                            + "is killed (SIGKILL) and its supervisor starts it again",
                    stored.size(), lost.size(), copy.rows() - copy.events().size(),
                    "worker and connectors running again " + recoveredMillis + " ms after the kill", passed,
                    orders + " orders, " + stored.size() + " order events in the store, " + copy.rows()
                            + " rows in reporting.order_fact (all copied " + copiedMillis + " ms after the kill); "
                            + "records sent again on orderflow.cdc.order-facts " + resent + " (absorbed by the "
                            + "sink's upsert); a stock change via the API on orderflow.cdc.stock-levels after "
                            + captureMillis + " ms; rows of other aggregates " + foreign.size()));

            assertThat(lost).as("order events missing from the reporting table").isEmpty();
            assertThat(copy.rows()).as("rows per event: one").isEqualTo(copy.events().size());
            assertThat(foreign).as("rows that are no order event of the store (customers' events stay out)")
                    .isEmpty();
        }
    }

    private record Copy(Set<String> events, long rows) {
    }

    /** Waits until Connect runs both connectors and their tasks; answers the console's view. */
    private static JsonNode awaitConnectorsRunning(Http http, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        JsonNode view = null;
        while (System.nanoTime() < until) {
            Http.Response response = http.get("/api/admin/kafka/connect");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            view = response.json();
            List<String> states = new ArrayList<>();
            for (JsonNode connector : view.path("connectors")) {
                states.add(connector.path("state").asText());
                connector.path("tasks").forEach(task -> states.add(task.path("state").asText()));
                assertThat(connector.path("state").asText()).as(connector.toString()).isNotEqualTo("FAILED");
                connector.path("tasks").forEach(task -> assertThat(task.path("state").asText())
                        .as(task.toString()).isNotEqualTo("FAILED"));
            }
            if (view.path("connectors").size() == 2 && states.size() == 4
                    && states.stream().allMatch("RUNNING"::equals)) {
                assertThat(view.path("connectors").findValuesAsText("name"))
                        .containsExactly("orderflow-cdc-source", "orderflow-reporting-sink");
                return view;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("connectors not running within " + timeout + ": " + view);
    }

    /**
     * Reads the stock-levels topic until the SKU's record shows {@code level}; answers the milliseconds from
     * {@code since} (a nanoTime) until it was seen, or -1 if it was not within {@code timeout}.
     */
    private static long awaitStockLevel(Map<String, Object> inspector, String sku, int level, long since, Duration timeout)
            throws Exception {
        long until = since + timeout.toNanos();
        while (System.nanoTime() < until) {
            for (OrderTopic.Record record : OrderTopic.readAll(inspector, "orderflow.cdc.stock-levels")) {
                JsonNode value = record.value() == null ? null : JSON.readTree(record.value()).path("payload");
                if (value != null && sku.equals(value.path("sku").asText())
                        && value.path("available").asInt() == level) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
                }
            }
            Thread.sleep(250);
        }
        return -1;
    }

    private static void awaitNewWorker(Path home, long killed, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Path pidFile = home.resolve("connect/worker.pid");
            if (Files.exists(pidFile)) {
                String pid = Files.readString(pidFile).trim();
                if (!pid.isEmpty() && Long.parseLong(pid) != killed) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new Connect worker within " + timeout);
    }

    private static Copy awaitCopied(Properties endpoints, Set<String> stored, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        Copy copy;
        do {
            Set<String> events = orderEvents(endpoints, "select event_identifier from reporting.order_fact");
            long rows;
            try (Connection db = connect(endpoints);
                 ResultSet count = db.createStatement().executeQuery("select count(*) from reporting.order_fact")) {
                count.next();
                rows = count.getLong(1);
            }
            copy = new Copy(events, rows);
            if (events.containsAll(stored)) {
                return copy;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < until);
        return copy;
    }

    private static Set<String> orderEvents(Properties endpoints, String query) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection db = connect(endpoints); ResultSet rows = db.createStatement().executeQuery(query)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** As the superuser: the test reads the application's tables and the reporting copy alike. */
    private static Connection connect(Properties endpoints) throws SQLException {
        Properties credentials = new Properties();
        try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(
                java.nio.file.Path.of(endpoints.getProperty("postgres.credentials")))) {
            credentials.load(reader);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return DriverManager.getConnection(endpoints.getProperty("jdbc.url"), "postgres",
                credentials.getProperty("postgres"));
    }
}
