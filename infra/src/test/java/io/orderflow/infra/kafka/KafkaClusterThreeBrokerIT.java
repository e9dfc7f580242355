package io.orderflow.infra.kafka;

import io.orderflow.topics.Topics;

import io.orderflow.order.api.OrderEventsTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The broker-failure scenario on three brokers, replication factor 3 and min.insync.replicas 2. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClusterThreeBrokerIT {

    @TempDir
    static Path dir;

    static KafkaCluster cluster;
    static Admin admin;

    @BeforeAll
    static void startClusterAndTopics() {
        cluster = new KafkaCluster(dir.resolve("kafka"), 3);
        cluster.start();
        System.out.printf("3 brokers ready in %d ms%n", cluster.lastStartDuration().toMillis());
        cluster.topicInitializer().apply();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (cluster != null) {
            long started = System.nanoTime();
            cluster.stop();
            System.out.printf("3 brokers stopped in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    @Test
    @Order(1)
    void givenThreeBrokers_thenTopicsHaveThreeReplicasAndTwoMustBeInSync() {
        // Each broker learns of new topics from the metadata log a moment after the controller records them; until
        // then describeConfigs may answer UnknownTopicOrPartition, which is a reason to ask again, not a failure.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.names()).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(Topics.names().stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all()
                    .get(30, TimeUnit.SECONDS);

            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions())
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
            assertThat(configs.values()).allSatisfy(config -> {
                assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
                assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");
            });
        });
    }

    @Test
    @Order(2)
    void givenProducingWithAcksAll_whenPartitionLeaderIsKilled_thenNothingAcknowledgedIsLost_andBrokerIsRestarted()
            throws Exception {
        TopicPartitionInfo partition0 = describe(OrderEventsTopic.NAME).partitions().get(0);
        int victim = partition0.leader().id();
        Set<Integer> ledByVictim = describe(OrderEventsTopic.NAME).partitions().stream()
                .filter(p -> p.leader() != null && p.leader().id() == victim)
                .map(TopicPartitionInfo::partition).collect(Collectors.toSet());
        long victimPid = cluster.pid(victim);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong firstAckOnVictimPartitionAfterKill = new AtomicLong();
        AtomicLong killedAt = new AtomicLong();
        int sent = 0;
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(cluster.bootstrapServers())) {
            long started = System.nanoTime();
            // Produce steadily; kill the leader after 2 s; go on until the victim's partitions take writes again
            // (or 40 s have passed, which fails the test below).
            while (true) {
                long now = System.nanoTime();
                if (killedAt.get() == 0 && now - started > TimeUnit.SECONDS.toNanos(2)) {
                    cluster.kill(victim);
                    killedAt.set(System.nanoTime());
                }
                if (killedAt.get() != 0 && (firstAckOnVictimPartitionAfterKill.get() != 0
                        && now - firstAckOnVictimPartitionAfterKill.get() > TimeUnit.SECONDS.toNanos(1)
                        || now - killedAt.get() > TimeUnit.SECONDS.toNanos(40))) {
                    break;
                }
                String value = "event-" + sent;
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(OrderEventsTopic.NAME, "order-" + (sent % 97), value),
                        (metadata, exception) -> {
                            if (exception != null) {
                                failed.incrementAndGet();
                                return;
                            }
                            acknowledged.add(value);
                            long kill = killedAt.get();
                            if (kill != 0 && sentAt > kill && ledByVictim.contains(metadata.partition())) {
                                firstAckOnVictimPartitionAfterKill.compareAndSet(0, System.nanoTime());
                            }
                        });
                sent++;
                Thread.sleep(2);
            }
            producer.flush();
        }
        assertThat(firstAckOnVictimPartitionAfterKill.get()).as("writes resumed on the killed leader's partitions")
                .isNotZero();
        long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(firstAckOnVictimPartitionAfterKill.get() - killedAt.get());

        List<ConsumerRecord<String, String>> records = KafkaTestClients.readAll(cluster.bootstrapServers(),
                OrderEventsTopic.NAME, Duration.ofSeconds(60));
        Set<String> consumed = records.stream().map(ConsumerRecord::value).collect(Collectors.toSet());
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(consumed);

        System.out.printf("Killed broker %d (leader of %d of the topic's partitions): sent %d, acknowledged %d, "
                        + "failed %d, consumed %d (%d duplicates), lost %d; writes to its partitions resumed %d ms "
                        + "after the kill%n",
                victim, ledByVictim.size(), sent, acknowledged.size(), failed.get(), records.size(),
                records.size() - consumed.size(), lost.size(), recoveryMillis);
        assertThat(lost).as("acknowledged but not on the topic").isEmpty();
        assertThat(failed.get()).isZero();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.isAlive(victim) && cluster.pid(victim) != victimPid
                        && brokersInCluster().contains(victim));
        System.out.printf("Supervisor restarted broker %d; it rejoined %d ms after the kill (restarts: %d)%n",
                victim, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt.get()),
                cluster.restartCount(victim));
        assertThat(cluster.restartCount(victim)).isEqualTo(1);
    }

    @Test
    @Order(3)
    void givenAutoRestartOff_whenBrokerKilled_thenItStaysDown_untilStartedExplicitly() throws Exception {
        int victim = 2;
        cluster.setAutoRestart(false);
        try {
            int restartsBefore = cluster.restartCount(victim);
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            // Wait until the controller has fenced it: well past the supervisor's restart delay.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !brokersInCluster().contains(victim));
            System.out.printf("Controller fenced killed broker %d after %d ms%n", victim,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));

            assertThat(cluster.isAlive(victim)).isFalse();
            assertThat(cluster.restartCount(victim)).isEqualTo(restartsBefore);

            long started = System.nanoTime();
            cluster.startBroker(victim);
            // The admin client learns of the returning broker from metadata, which can lag its start a little.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> brokersInCluster().contains(victim));
            System.out.printf("startBroker(%d) rejoined in %d ms%n", victim,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            cluster.setAutoRestart(true);
        }
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private static Set<Integer> brokersInCluster() throws Exception {
        return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream().map(Node::id)
                .collect(Collectors.toSet());
    }
}
