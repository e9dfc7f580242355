package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OrderStream;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.judge.BusinessEffects;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.gateway.testkit.process.SystemHarness;
import io.orderflow.infra.kafka.KafkaCluster;
import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.topics.TopicInitializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery drill S18: the whole Kafka cluster is lost, its data with it, while the packaged application runs and
 * orders keep coming. A fresh cluster is started (new data, the same addresses and credentials), the topic step
 * makes the topics again, and the runbook (docs/operations/kafka-lost.md) moves the Kafka consumers back to the start
 * of the new topics and the publisher back to the start of the event store. Every order ends once, the consumers end
 * as they were, and nothing is charged, shipped, mailed or invoiced twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaLossIT {

    private static final String PUBLISHER = "__axon-kafka-event-publishing-group";
    private static final int RATE = 8;
    private static final Duration BEFORE = Duration.ofSeconds(ScenarioSize.pick(6, 30));
    private static final Duration OUTAGE = Duration.ofSeconds(ScenarioSize.pick(6, 30));

    private SystemHarness system;

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void s18_theKafkaClusterLostWithItsData_isRefilledFromTheStore_andNoEffectIsRepeated() throws Exception {
        system = SystemHarness.builder().brokers(ScenarioSize.pick(1, 3)).start();
        KafkaCluster kafka = system.kafka();
        kafka.setAutoRestart(false);
        JdbcTemplate jdbc = system.jdbc();
        Http http = system.http();
        Operations operations = new Operations(http);
        OrderStream.stockSku(http);

        OrderStream before = OrderStream.start(() -> http, 2, RATE, OrderStream::anyOrder);
        Thread.sleep(BEFORE.toMillis());
        before.stop();
        ScenarioChecker checker = system.checker();
        checker.awaitEnded(before.acknowledged(), Duration.ofMinutes(3));
        for (String processor : operations.processorNames()) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(120));
        }
        BusinessEffects effectsBefore = BusinessEffects.count(jdbc);
        String analyticsBefore = analytics(jdbc);

        // The disaster: every broker killed and its data deleted; orders keep coming meanwhile.
        for (int node = 0; node < kafka.size(); node++) {
            kafka.kill(node);
        }
        kafka.stop();
        deleteData(kafka);
        OrderStream during = OrderStream.start(() -> http, 2, RATE, OrderStream::anyOrder);
        Thread.sleep(OUTAGE.toMillis());
        // The operator sees the processors while Kafka is gone (the Kafka heads unknown).
        Http.Response listing = http.get("/api/admin/processors");
        during.stop();
        assertThat(listing.status()).as("the processors view while Kafka is gone: %s", listing.body())
                .isEqualTo(200);

        // The recovery: a fresh cluster, the topics made again, then the runbook's steps.
        long recovering = System.nanoTime();
        kafka.start();
        new TopicInitializer(kafka.bootstrapServers()).withClientSettings(system.kafka(KafkaPrincipal.ADMIN)).apply();
        List<String> steps = new ArrayList<>();
        for (String processor : kafkaConsumers(http)) {
            Http.Response rewound = operations.post("/api/admin/processors/" + processor + "/rewind");
            assertThat(rewound.status()).as(processor + ": " + rewound.body()).isEqualTo(200);
            steps.add(processor);
        }
        Http.Response resent = http.postJson("/api/admin/processors/" + PUBLISHER + "/rewind", "{\"position\": 0}");
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);

        Set<UUID> acknowledged = new HashSet<>(before.acknowledged());
        acknowledged.addAll(during.acknowledged());
        Map<String, Integer> ends = checker.awaitEnded(acknowledged, Duration.ofMinutes(ScenarioSize.pick(4, 10)));
        for (String processor : operations.processorNames()) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(180));
        }
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - recovering).toMillis();
        ScenarioChecker.Report report = checker.check(acknowledged, List.of());
        BusinessEffects effectsAfter = BusinessEffects.count(jdbc);
        BusinessEffects repeated = effectsAfter.of(before.acknowledged()).minus(effectsBefore.of(before.acknowledged()));
        long invoicesTwice = jdbc.queryForObject("SELECT count(*) FROM (SELECT order_id FROM billing_document "
                + "WHERE kind = 'INVOICE' GROUP BY order_id HAVING count(*) > 1) twice", Long.class);
        String analyticsBeforeOfThem = filter(analyticsBefore, before.acknowledged());
        String analyticsAfter = filter(analytics(jdbc), before.acknowledged());

        boolean passed = report.clean() && repeated.none() && invoicesTwice == 0
                && analyticsAfter.equals(analyticsBeforeOfThem)
                && before.clientErrors().isEmpty() && during.clientErrors().isEmpty();
        ScenarioReport.record(new ScenarioReport.Row("S18 Kafka lost", "recovery drill: the Kafka cluster lost",
                kafka.size() + " secured broker(s) killed and their data deleted while 2 clients placed orders for "
                        + OUTAGE.toSeconds() + " s; a fresh cluster, the topics made again, the Kafka consumers "
                        + "and the publisher moved back to the start", acknowledged.size(), report.lostAnywhere(),
                report.duplicated() + repeated.total() + invoicesTwice,
                "every order ended and every processor caught up " + recoveredMillis + " ms after the fresh "
                        + "cluster's start", passed,
                during.acknowledged().size() + " orders accepted while Kafka was gone; consumers moved back: "
                        + steps + "; effects of the orders from before the loss: before " + effectsBefore.of(
                        before.acknowledged()) + ", after " + effectsAfter.of(before.acknowledged())
                        + "; invoices twice " + invoicesTwice + "; analytics of those orders unchanged "
                        + analyticsAfter.equals(analyticsBeforeOfThem) + "; "
                        + report.summary() + "; end states " + ends));
        assertThat(before.clientErrors()).isEmpty();
        assertThat(during.clientErrors()).as("4xx answers while Kafka was gone").isEmpty();
        assertThat(during.acknowledged()).as("orders accepted while Kafka was gone").isNotEmpty();
        assertThat(report.clean()).as("checker: %s", report).isTrue();
        assertThat(repeated.none()).as("effects repeated for the orders from before the loss: %s", repeated).isTrue();
        assertThat(invoicesTwice).as("orders invoiced twice").isZero();
        assertThat(analyticsAfter).as("analytics of the orders from before the loss")
                .isEqualTo(analyticsBeforeOfThem);
    }

    /** A checksum of the analytics rows of every order, keyed by order. */
    private static String analytics(JdbcTemplate jdbc) {
        return String.join(",", jdbc.queryForList("SELECT concat_ws('|', order_id, currency, total_amount, "
                + "accepted_at, shipped_at, completed_at, failed_at, failure_reason, cancelled_at) FROM analytics_order "
                + "WHERE generation = (SELECT served FROM projection_generation WHERE projection = 'analytics') "
                + "ORDER BY order_id", String.class));
    }

    /** The rows of a checksum that belong to the given orders. */
    private static String filter(String rows, Set<UUID> orders) {
        Set<String> ids = new HashSet<>();
        orders.forEach(id -> ids.add(id.toString()));
        return String.join(",", Stream.of(rows.split(",")).filter(row -> ids.contains(row.split("\\|")[0]))
                .toList());
    }


    /** The processors that read Kafka: their positions are offsets of the lost cluster. */
    private static List<String> kafkaConsumers(Http http) {
        List<String> names = new ArrayList<>();
        http.get("/api/admin/processors").json().forEach(view -> {
            if (view.get("source").asText().startsWith("kafka:")) {
                names.add(view.get("name").asText());
            }
        });
        return names;
    }

    /** Deletes what the brokers stored (logs and metadata) and the cluster's id: the next start makes a new cluster. */
    private static void deleteData(KafkaCluster kafka) {
        try {
            Files.deleteIfExists(kafka.directory().resolve("cluster.properties"));
            try (Stream<Path> entries = Files.list(kafka.directory())) {
                for (Path broker : entries.filter(path -> path.getFileName().toString().startsWith("broker-"))
                        .toList()) {
                    try (Stream<Path> files = Files.walk(broker)) {
                        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(file);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
