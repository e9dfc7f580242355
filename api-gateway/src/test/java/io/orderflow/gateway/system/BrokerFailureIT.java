package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.OrderStream;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import io.orderflow.order.api.OrderEventsTopic;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.gateway.testkit.process.SystemHarness;
import io.orderflow.infra.kafka.KafkaCluster;
import io.orderflow.infra.kafka.KafkaPrincipal;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios S3 and S3b on a cluster of three brokers (replication factor 3, {@code min.insync.replicas=2}, unclean
 * leader election off), each broker its own JVM, with the packaged application as its own process.
 *
 * <p>S3 kills the leader of the order topic's first partition with SIGKILL while orders flow, several times, and
 * starts it again each time. S3b takes two of the three brokers down for a while: checkouts must go on (the event
 * store is the outbox) while nothing reaches Kafka, and the backlog must drain once they return.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFailureIT {

    private static final String PUBLISHER = "__axon-kafka-event-publishing-group";
    private static final int KILLS = ScenarioSize.pick(2, 5);
    /** Orders per second of the stream: steady, below what fulfillment completes here (about 17 a second). */
    private static final int RATE = 15;
    private static final Duration TWO_DOWN = Duration.ofSeconds(ScenarioSize.pick(15, 60));

    private SystemHarness system;
    private KafkaCluster kafka;
    private Admin admin;

    @BeforeAll
    void start() {
        system = SystemHarness.builder().brokers(3).start();
        kafka = system.kafka();
        kafka.setAutoRestart(false);
        OrderStream.stockSku(system.http());
        Map<String, Object> inspector = new HashMap<>(system.kafka(KafkaPrincipal.INSPECTOR));
        inspector.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        inspector.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        admin = Admin.create(inspector);
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void s3_thePartitionLeaderKilledRepeatedlyWhileOrdersFlow_losesNothingAndEverySagaEnds() throws Exception {
        Http http = system.http();
        assertThat(topic().partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        List<String> recoveries = new ArrayList<>();
        List<String> reReplicated = new ArrayList<>();
        List<UUID> probes = new ArrayList<>();
        long producerErrorsBefore = system.producerWarnings();
        OrderStream stream = OrderStream.start(() -> http, 3, RATE, OrderStream::anyOrder);
        try {
            Thread.sleep(3_000);
            for (int kill = 1; kill <= KILLS; kill++) {
                int leader = leaderOfFirstPartition();
                long killedAt = System.nanoTime();
                kafka.kill(leader);
                // An order placed right after the kill: forwarding has recovered when it is on the topic.
                UUID probe = new Fulfillment(http).place(OrderStream.anyOrder());
                probes.add(probe);
                awaitOnTopic(Set.of(probe.toString()), Duration.ofSeconds(120));
                long recovered = millisSince(killedAt);
                kafka.startBroker(leader);
                awaitFullyReplicated(Duration.ofSeconds(120));
                recoveries.add("kill " + kill + " (broker " + leader + "): " + recovered + " ms");
                reReplicated.add(millisSince(killedAt) + " ms");
                Thread.sleep(2_000);
            }
        } finally {
            stream.stop();
            startBrokersThatAreDown();
        }
        ScenarioChecker checker = system.checker();
        Set<UUID> all = new HashSet<>(stream.acknowledged());
        all.addAll(probes);
        Map<String, Integer> ends = checker.awaitEnded(all, Duration.ofMinutes(ScenarioSize.pick(3, 10)));
        Operations operations = new Operations(http);
        for (String processor : List.of(PUBLISHER, "order-summary", "notifications")) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(120));
        }
        ScenarioChecker.Report report = checker.check(all, stream.indeterminateKeys());
        long runningSagas = system.jdbc().queryForObject("SELECT count(*) FROM saga_entry", Long.class);
        long producerErrors = system.producerWarnings() - producerErrorsBefore;

        boolean passed = report.clean() && runningSagas == 0 && stream.clientErrors().isEmpty();
        ScenarioReport.record(new ScenarioReport.Row("S3", "broker failure (3 secured brokers, RF 3, min ISR 2)",
                KILLS + " SIGKILLs of the order topic's partition-0 leader while 3 clients placed orders",
                all.size(), report.lostAnywhere(), report.duplicated(),
                "forwarding recovered per kill: " + String.join(", ", recoveries),
                passed, report.summary() + "; end states " + ends + "; sagas still running " + runningSagas
                        + "; producer errors logged " + producerErrors + "; requests failed "
                        + stream.failedByStatus() + "; kill to fully re-replicated: "
                        + String.join(", ", reReplicated)));
        assertThat(stream.clientErrors()).as("4xx answers to valid orders").isEmpty();
        assertThat(report.clean()).as("checker: %s", report).isTrue();
        assertThat(runningSagas).as("sagas still running").isZero();
    }

    @Test
    @Order(2)
    void s3b_twoOfThreeBrokersDown_checkoutsGoOnNothingIsForwardedAndTheBacklogDrains() throws Exception {
        Http http = system.http();
        Operations operations = new Operations(http);
        operations.awaitCaughtUp(PUBLISHER, Duration.ofSeconds(60));
        OrderStream stream = OrderStream.start(() -> http, 2, RATE, OrderStream::anyOrder);
        long peakLag = 0;
        long drainMillis;
        Set<UUID> acceptedWhileDown;
        Set<UUID> acceptedLate;
        Set<String> committedWhileDown;
        try {
            Thread.sleep(2_000);
            Set<UUID> before = stream.acknowledged();
            kafka.kill(1);
            kafka.kill(2);
            long downAt = System.nanoTime();
            // Sends already in flight at the kill may still complete; after a few seconds nothing can.
            Thread.sleep(5_000);
            Set<UUID> acceptedEarly = stream.acknowledged();
            while (millisSince(downAt) < TWO_DOWN.toMillis()) {
                JsonNode publisher = operations.processor(PUBLISHER);
                if (!publisher.get("lag").isNull()) {
                    peakLag = Math.max(peakLag, publisher.get("lag").asLong());
                }
                Thread.sleep(1_000);
            }
            stream.stop();
            acceptedWhileDown = new HashSet<>(stream.acknowledged());
            acceptedWhileDown.removeAll(before);
            acceptedLate = new HashSet<>(stream.acknowledged());
            acceptedLate.removeAll(acceptedEarly);
            // What Kafka committed meanwhile: the records up to the high watermark of the partitions the
            // surviving broker leads (the others have no leader at all).
            committedWhileDown = keysCommittedOnPartitionsLedBy(0);
            long restartAt = System.nanoTime();
            kafka.startBroker(1);
            kafka.startBroker(2);
            awaitOnTopic(acceptedWhileDown.stream().map(UUID::toString).collect(Collectors.toSet()),
                    Duration.ofSeconds(180));
            drainMillis = millisSince(restartAt);
        } finally {
            stream.stop();
            startBrokersThatAreDown();
        }
        ScenarioChecker checker = system.checker();
        Map<String, Integer> ends = checker.awaitEnded(stream.acknowledged(), Duration.ofMinutes(5));
        operations.awaitCaughtUp(PUBLISHER, Duration.ofSeconds(120));
        ScenarioChecker.Report report = checker.check(stream.acknowledged(), stream.indeterminateKeys());

        Set<String> forwardedTooEarly = acceptedLate.stream().map(UUID::toString)
                .filter(committedWhileDown::contains).collect(Collectors.toSet());
        boolean passed = report.clean() && !acceptedWhileDown.isEmpty() && forwardedTooEarly.isEmpty()
                && stream.clientErrors().isEmpty();
        ScenarioReport.record(new ScenarioReport.Row("S3b", "two of three secured brokers down",
                "brokers 1 and 2 killed with SIGKILL for " + TWO_DOWN.toSeconds() + " s while 2 clients placed "
                        + "orders", stream.acknowledged().size(), report.lostAnywhere(), report.duplicated(),
                "backlog drained " + drainMillis + " ms after the brokers' restart", passed,
                acceptedWhileDown.size() + " orders accepted while two brokers were down; of the "
                        + acceptedLate.size() + " accepted from 5 s after the kills, " + forwardedTooEarly.size()
                        + " committed to Kafka before the brokers returned; peak forwarding lag " + peakLag + " events; " + report.summary()
                        + "; end states " + ends + "; requests failed " + stream.failedByStatus()));
        assertThat(acceptedWhileDown).as("checkouts accepted while two brokers were down").isNotEmpty();
        assertThat(acceptedLate).as("checkouts accepted well after the kills").isNotEmpty();
        assertThat(forwardedTooEarly).as("orders committed to Kafka with one in-sync replica left").isEmpty();
        assertThat(stream.clientErrors()).as("4xx answers to valid orders").isEmpty();
        assertThat(report.clean()).as("checker: %s", report).isTrue();
    }

    /** Leaves the cluster whole for what follows, whatever happened. */
    private void startBrokersThatAreDown() {
        for (int node = 0; node < kafka.size(); node++) {
            if (!kafka.isAlive(node)) {
                kafka.startBroker(node);
            }
        }
    }

    private TopicDescription topic() throws Exception {
        return admin.describeTopics(List.of(OrderEventsTopic.NAME)).allTopicNames().get().get(OrderEventsTopic.NAME);
    }

    private int leaderOfFirstPartition() throws Exception {
        return topic().partitions().get(0).leader().id();
    }

    /** Waits until every partition of the order topic has a leader and all three replicas in sync again. */
    private void awaitFullyReplicated(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                List<TopicPartitionInfo> partitions = topic().partitions();
                if (partitions.stream().allMatch(p -> p.leader() != null && p.isr().size() == 3)) {
                    return;
                }
            } catch (Exception notYet) {
                // metadata briefly unavailable while the broker rejoins
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("order topic not fully replicated within " + timeout + ": " + topic());
            }
            Thread.sleep(250);
        }
    }

    /** Waits until a record keyed by each of the order ids is on the order topic. */
    private void awaitOnTopic(Set<String> orderIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> missing = new HashSet<>(orderIds);
        while (!missing.isEmpty()) {
            try {
                OrderTopic.readAll(system.kafka(KafkaPrincipal.INSPECTOR), OrderEventsTopic.NAME)
                        .forEach(record -> missing.remove(record.key()));
            } catch (RuntimeException partitionWithoutLeader) {
                // readable again once a leader is elected
            }
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(missing.size() + " orders not on the topic within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /**
     * The keys of the records a consumer can read (up to the high watermark) from the order topic's partitions that
     * broker {@code node} leads.
     */
    private Set<String> keysCommittedOnPartitionsLedBy(int node) throws Exception {
        String topic = OrderEventsTopic.NAME;
        List<TopicPartition> led = topic().partitions().stream()
                .filter(p -> p.leader() != null && p.leader().id() == node)
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Set<String> keys = new HashSet<>();
        Map<String, Object> settings = new HashMap<>(system.kafka(KafkaPrincipal.INSPECTOR));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<String, byte[]>(settings,
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(led);
            consumer.seekToBeginning(led);
            Map<TopicPartition, Long> end = consumer.endOffsets(led, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the partitions broker " + node + " leads");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(record -> keys.add(record.key()));
            }
        }
        return keys;
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
