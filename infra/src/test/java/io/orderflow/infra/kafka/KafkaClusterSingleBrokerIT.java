package io.orderflow.infra.kafka;

import io.orderflow.topics.Topics;
import io.orderflow.topics.TopicInitializer;

import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClusterSingleBrokerIT {

    @TempDir
    static Path dir;

    static KafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new KafkaCluster(dir.resolve("kafka"), 1);
        cluster.start();
        System.out.printf("1 broker ready in %d ms%n", cluster.lastStartDuration().toMillis());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void givenNewCluster_whenTopicsApplied_thenAllExistWithOneReplica_andSecondApplyChangesNothing()
            throws Exception {
        TopicInitializer.TopicChanges first = new TopicInitializer(cluster.bootstrapServers()).apply();
        TopicInitializer.TopicChanges second = new TopicInitializer(cluster.bootstrapServers()).apply();

        assertThat(first.created()).containsExactlyInAnyOrderElementsOf(Topics.names());
        assertThat(second.isNoOp()).isTrue();
        assertThat(second.unchanged()).containsExactlyInAnyOrderElementsOf(Topics.names());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers()))) {
            TopicDescription orders = admin.describeTopics(List.of(OrderEventsTopic.NAME)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(OrderEventsTopic.NAME);
            assertThat(orders.partitions()).hasSize(Topics.DEFAULT_PARTITIONS)
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    Topics.SHIPPING_ADDRESS_CHANGED))).all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        }
    }

    @Test
    @Order(2)
    void givenTopicChangedBehindOurBack_whenApplied_thenConfigAndPartitionsAreRestored() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    CustomerEventsTopic.NAME), List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "3600000"),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }

        // The application's check names every difference and changes nothing.
        TopicInitializer checking = new TopicInitializer(cluster.bootstrapServers()).withPartitions(8)
                .withMode(TopicInitializer.Mode.CHECK);
        assertThat(checking.check()).contains(CustomerEventsTopic.NAME + " has retention.ms=3600000, not -1",
                OrderEventsTopic.NAME + " has 6 partitions, not 8").hasSize(Topics.names().size() + 1);
        assertThatThrownBy(checking::afterPropertiesSet).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("do not match their definitions")
                .hasMessageContaining(CustomerEventsTopic.NAME + " has retention.ms=3600000, not -1")
                .hasMessageContaining("java -jar orderflow.jar topics");
        assertThat(checking.check()).as("checking changed nothing").hasSize(Topics.names().size() + 1);

        TopicInitializer.TopicChanges changes = new TopicInitializer(cluster.bootstrapServers())
                .withPartitions(8).apply();

        assertThat(changes.reconfigured()).containsOnlyKeys(CustomerEventsTopic.NAME);
        assertThat(changes.reconfigured().get(CustomerEventsTopic.NAME)).containsExactly("retention.ms=-1");
        assertThat(changes.partitionsAdded()).hasSize(Topics.names().size()).containsEntry(OrderEventsTopic.NAME, 8);
        assertThat(new TopicInitializer(cluster.bootstrapServers()).withPartitions(8).apply().isNoOp()).isTrue();
        assertThat(checking.check()).as("after the topic step").isEmpty();
        checking.afterPropertiesSet();
    }

    @Test
    @Order(3)
    void givenTopics_whenRecordProducedWithAcksAll_thenItIsConsumed() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(cluster.bootstrapServers())) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(OrderEventsTopic.NAME, "order-1",
                    "OrderAccepted")).get(30, TimeUnit.SECONDS);
            assertThat(metadata.hasOffset()).isTrue();
        }

        List<ConsumerRecord<String, String>> records = KafkaTestClients.readAll(cluster.bootstrapServers(),
                OrderEventsTopic.NAME, Duration.ofSeconds(30));

        assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value)
                .contains(org.assertj.core.groups.Tuple.tuple("order-1", "OrderAccepted"));
    }

    @Test
    @Order(4)
    void givenRecords_whenClusterRestartedOnSameDirectory_thenClusterIdAndRecordsSurvive() {
        String clusterId = cluster.clusterId();
        long pid = cluster.pid(0);

        cluster.stop();
        assertThat(cluster.isAlive(0)).isFalse();
        cluster.start();

        assertThat(cluster.pid(0)).isNotEqualTo(pid);
        assertThat(cluster.clusterId()).isEqualTo(clusterId);
        assertThat(KafkaTestClients.readAll(cluster.bootstrapServers(), OrderEventsTopic.NAME, Duration.ofSeconds(30)))
                .extracting(ConsumerRecord::value).contains("OrderAccepted");
        System.out.printf("1 broker restarted on its data in %d ms%n", cluster.lastStartDuration().toMillis());
    }

    @Test
    @Order(5)
    void givenParentGone_whenBrokerStdinCloses_thenBrokerExitsByItself() throws Exception {
        // Closing the pipe is what the kernel does when this JVM dies, however it dies.
        cluster.setAutoRestart(false);
        ProcessHandle broker = ProcessHandle.of(cluster.pid(0)).orElseThrow();
        long started = System.nanoTime();

        cluster.stop();

        assertThat(broker.isAlive()).isFalse();
        System.out.printf("broker exited %d ms after its stdin closed%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Test
    @Order(6)
    void givenDataOfOneBroker_whenStartedWithThree_thenRefusedWithAnExplanation() {
        KafkaCluster bigger = new KafkaCluster(dir.resolve("kafka"), 3);

        assertThatThrownBy(bigger::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to a cluster of 1 broker(s), not 3");
        assertThat(bigger.isAlive(0)).isFalse();
    }
}
