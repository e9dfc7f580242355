package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.process.PrometheusServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations questions answered from Prometheus: the scrape holds every processor's lag, throughput and state,
 * the sagas, the topics' replication, the order latencies, the circuit breakers and Axon's own metrics; and a real
 * Prometheus server that scrapes the application as the metrics client and loads the shipped alert rules sees the
 * lag alert fire when a consumer is paused and resolve after it resumes.
 */
class PrometheusIT extends EmbeddedSystemTest {

    private static final Path RULES = Path.of("..", "deploy", "prometheus", "orderflow-alerts.yml");
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "orderflow-dashboard.json");
    private static final Pattern RECORDING_RULE = Pattern.compile("- record: (\\S+)");
    /** A series selector in a query: a metric name followed by its label matchers. */
    private static final Pattern SERIES = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
    /** The rule file's minutes become seconds: 5m windows are 10 s here (PrometheusServer.compressTime). */
    private static final int TIME_COMPRESSION = 30;
    private static final List<String> PROCESSORS = List.of("__axon-kafka-event-publishing-group", "order-summary",
            "customer-profile", "fulfillment", "delivery-address", "analytics", "notifications", "billing");

    @Test
    void theScrapeAnswersLagStateSagasReplicationLatencyAndBreakers_andOnlyTheMetricsClientAndOperatorsMayRead() {
        Fulfillment fulfillment = new Fulfillment(http);
        fulfillment.awaitEnd(fulfillment.place(Orders.oneBag()));
        Operations operations = new Operations(http);
        operations.awaitCaughtUp("analytics", Duration.ofSeconds(30));

        Map<String, Double> scrape = scrape();
        for (String processor : PROCESSORS) {
            String source = processor.startsWith("__") || processor.equals("order-summary")
                    || processor.equals("customer-profile") ? "event-store" : "kafka";
            String labels = "{processor=\"" + processor + "\",source=\"" + source + "\"}";
            assertThat(scrape.keySet()).as(processor).contains("orderflow_processor_lag_events" + labels,
                    "orderflow_processor_lag_seconds" + labels,
                    "orderflow_processor_throughput_events_per_second" + labels,
                    "orderflow_processor_error" + labels, "orderflow_processor_paused" + labels,
                    "orderflow_processor_replaying" + labels);
            assertThat(scrape.get("orderflow_processor_error" + labels)).as(processor + " in error").isZero();
        }
        for (String parking : List.of("order-summary", "customer-profile", "analytics", "notifications")) {
            assertThat(scrape.keySet()).as("dead letters of " + parking).anyMatch(series ->
                    series.startsWith("orderflow_processor_dead_letters{processor=\"" + parking + "\""));
        }
        assertThat(scrape.keySet()).as("a processor without a dead-letter queue has no such series")
                .noneMatch(series -> series.startsWith("orderflow_processor_dead_letters{processor=\"fulfillment\""));
        long stuck = http.get("/api/admin/sagas?state=STUCK&limit=1000").json().size();
        assertThat(scrape.get("orderflow_sagas_stuck")).as("stuck sagas, as the operations API lists them")
                .isEqualTo((double) stuck);
        assertThat(scrape.get("orderflow_sagas_active")).isGreaterThanOrEqualTo(stuck);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                scrape().get("orderflow_kafka_under_replicated_partitions{topic=\"orderflow.order-events\"}"))
                .as("every replica of the order events in sync").isZero());
        assertThat(scrape.get("orderflow_order_latency_seconds_count{step=\"completed\"}")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.keySet()).contains("orderflow_order_latency_seconds_bucket{step=\"completed\",le=\"30.0\"}",
                "orderflow_order_latency_seconds_bucket{step=\"stock_reserved\",le=\"0.25\"}");
        assertThat(scrape.keySet()).as("acceptance latency buckets at its objective").anyMatch(series ->
                series.startsWith("http_server_requests_seconds_bucket{") && series.contains("method=\"POST\"")
                        && series.contains("uri=\"/api/orders\"") && series.contains("le=\"0.25\""));
        assertThat(scrape.keySet()).contains(
                "resilience4j_circuitbreaker_state{name=\"payment-provider\",state=\"closed\"}");
        assertThat(scrape.keySet()).as("the publisher's Kafka client metrics").anyMatch(series ->
                series.startsWith("kafka_producer_record_send_total{") && series.contains("client=\"publisher\""));
        assertThat(scrape.keySet()).as("the consumers' Kafka client metrics").anyMatch(series ->
                series.startsWith("kafka_consumer_fetch_manager_records_consumed_total{")
                        && series.contains("client=\"consumer-"));
        assertThat(scrape.keySet()).as("Axon's dimensional processor metrics").anyMatch(series ->
                series.startsWith("eventProcessor_") && series.contains("processorName=\"order-summary\""));

        Http metrics = http.as(tokens.asMetrics());
        assertThat(metrics.get("/actuator/prometheus").status()).isEqualTo(200);
        // In OpenMetrics, a latency bucket carries an exemplar: the trace of a request that fell in it (ADR 0045);
        // a _count never does, which Prometheus before 2.43 would refuse (the real Prometheus below scrapes it).
        String openMetrics = metrics.get("/actuator/prometheus", "Accept",
                "application/openmetrics-text; version=1.0.0").body();
        assertThat(openMetrics.lines()).as("an exemplar on a request latency bucket").anyMatch(line ->
                line.startsWith("http_server_requests_seconds_bucket{") && line.contains("# {span_id=\""));
        assertThat(openMetrics.lines()).as("no exemplar on a _count").noneMatch(line ->
                line.contains("_count{") && line.contains(" # {"));
        assertThat(metrics.get("/api/admin/processors").status()).as("the scraper reads metrics only").isEqualTo(403);
        assertThat(metrics.get("/actuator/metrics").status()).isEqualTo(403);
        assertThat(http.as(tokens.asShop()).get("/actuator/prometheus").status()).isEqualTo(403);
        assertThat(http.anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
    }

    @Test
    void aRealPrometheus_seesThePausedConsumersLagAlertFire_andResolveAfterItResumes() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("target"), "prometheus-");
        Path rules = directory.resolve("orderflow-alerts.yml");
        Files.writeString(rules, PrometheusServer.compressTime(Files.readString(RULES), TIME_COMPRESSION));
        Path secret = directory.resolve("metrics-client-secret");
        Files.writeString(secret, tokens.endpoint("auth.metrics.client-secret"));
        Path configuration = directory.resolve("prometheus.yml");
        Files.writeString(configuration, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: orderflow
                    metrics_path: /actuator/prometheus
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                    oauth2:
                      client_id: %s
                      client_secret_file: %s
                      token_url: %s
                """.formatted(rules.toAbsolutePath(), port, tokens.endpoint("auth.metrics.client-id"),
                secret.toAbsolutePath(), tokens.endpoint("auth.token-endpoint")));

        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        try (PrometheusServer prometheus = PrometheusServer.start(directory, configuration)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode target = prometheus.api("/api/v1/targets").path("activeTargets").path(0);
                assertThat(target.path("health").asText()).as("the scrape's last error: %s%n%s",
                        target.path("lastError").asText(), prometheus.logTail()).isEqualTo("up");
            });
            assertThat(prometheus.api("/api/v1/rules").get("groups")).as("the shipped rules are loaded").isNotEmpty();
            operations.awaitCaughtUp("analytics", Duration.ofSeconds(30));
            assertThat(lagAlert(prometheus, "analytics")).as("no alert while analytics keeps up").isNull();

            operations.pause("analytics");
            long paused = System.nanoTime();
            double firedAfter;
            double resolvedAfter;
            try {
                UUID order = fulfillment.place(Orders.oneBag());
                fulfillment.awaitEnd(order);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "firing".equals(state(lagAlert(prometheus, "analytics"))));
                firedAfter = (System.nanoTime() - paused) / 1e9;
                JsonNode alert = lagAlert(prometheus, "analytics");
                assertThat(alert.get("labels").get("severity").asText()).isNotBlank();
                assertThat(alert.get("annotations").get("summary").asText()).contains("analytics");
            } finally {
                operations.resume("analytics");
            }
            long resumed = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> lagAlert(prometheus, "analytics") == null);
            resolvedAfter = (System.nanoTime() - resumed) / 1e9;
            System.out.printf("[PrometheusIT] lag alert (rules' time / %d): fired %.1f s after the pause, resolved "
                    + "%.1f s after the resume%n", TIME_COMPRESSION, firedAfter, resolvedAfter);

            // Every recording rule and every query of the Grafana dashboard reads series that the application
            // really exports: a renamed metric or label fails here, not on an operator's empty panel.
            Set<String> names = new TreeSet<>();
            prometheus.api("/api/v1/label/__name__/values").forEach(name -> names.add(name.asText()));
            for (String rule : RECORDING_RULE.matcher(Files.readString(RULES)).results().map(m -> m.group(1))
                    .toList()) {
                assertThat(names).as("recording rule " + rule + " recorded").contains(rule);
            }
            List<String> queries = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr")
                    .forEach(expr -> queries.add(expr.asText()));
            assertThat(queries).hasSizeGreaterThan(20);
            for (String query : queries) {
                String runnable = query.replace("$__rate_interval", "1m").replace("$instance", ".*");
                prometheus.query(runnable);
                SERIES.matcher(runnable).results().map(m -> m.group(1)).forEach(series ->
                        assertThat(names).as("the dashboard's query " + query).contains(series));
            }
        }
    }

    /** The consumer-lag alert of a processor, pending or firing; null if there is none. */
    private static JsonNode lagAlert(PrometheusServer prometheus, String processor) {
        JsonNode alerts = prometheus.api("/api/v1/alerts").get("alerts");
        return StreamSupport.stream(alerts.spliterator(), false)
                .filter(alert -> "OrderflowConsumerLagging".equals(alert.get("labels").path("alertname").asText())
                        && processor.equals(alert.get("labels").path("processor").asText()))
                .findFirst().orElse(null);
    }

    private static String state(JsonNode alert) {
        return alert == null ? null : alert.get("state").asText();
    }

    /** The exposition as series (name and labels as printed) to value. */
    private Map<String, Double> scrape() {
        Http.Response response = http.as(tokens.asMetrics()).get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String value = line.substring(space + 1);
            series.put(line.substring(0, space), value.equals("NaN") ? Double.NaN : Double.parseDouble(value));
        }
        return series;
    }
}
