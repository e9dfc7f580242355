package io.orderflow.infra.kafka;

import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.topics.TopicInitializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A secured embedded cluster on a real broker: SASL (SCRAM-SHA-512) over TLS with certificates made at its first
 * start, KRaft's standard authorizer, and ACLs per principal. A client without credentials gets nothing, a principal
 * writes only its own topics and reads only what it consumes, and only the topic step's principal creates or
 * changes topics.
 */
class KafkaSecurityIT {

    private static final Path DIRECTORY = Path.of("target", "kafka-security-" + UUID.randomUUID());
    private static KafkaCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new KafkaCluster(DIRECTORY, 1).secured();
        cluster.start();
        new TopicInitializer(cluster.bootstrapServers()).withReplicationFactor(1)
                .withClientSettings(cluster.security().orElseThrow().clientSettings(KafkaPrincipal.ADMIN)).apply();
    }

    @AfterAll
    static void stop() {
        cluster.stop();
    }

    @Test
    void aClientWithoutCredentials_orWithAWrongPassword_isRefused() {
        Map<String, Object> plaintext = new HashMap<>(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "default.api.timeout.ms", 5_000, "request.timeout.ms", 3_000));
        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .as("plaintext on the SASL_SSL listener").isInstanceOfAny(ExecutionException.class,
                            java.util.concurrent.TimeoutException.class);
        }
        Map<String, Object> wrong = new HashMap<>(cluster.clientSettings(KafkaPrincipal.APP));
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"orderflow-app\" password=\"not-the-password\";");
        wrong.put("default.api.timeout.ms", 10_000);
        wrong.put("request.timeout.ms", 5_000);
        try (Admin admin = Admin.create(wrong)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theApplicationWritesAndReadsItsTopics_butCreatesAndChangesNone() throws Exception {
        String key = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.APP)) {
            producer.send(new ProducerRecord<>(OrderEventsTopic.NAME, key, "{}")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = consumer(KafkaPrincipal.APP)) {
            List<TopicPartition> partitions = consumer.partitionsFor(OrderEventsTopic.NAME).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean found = false;
            while (!found && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    found |= key.equals(record.key());
                }
            }
            assertThat(found).as("the application read back what it wrote").isTrue();
        }
        try (Admin admin = Admin.create(cluster.clientSettings(KafkaPrincipal.APP))) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("orderflow.intruder", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, OrderEventsTopic.NAME),
                    List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(new TopicInitializer(cluster.bootstrapServers()).withReplicationFactor(1)
                .withClientSettings(cluster.clientSettings(KafkaPrincipal.APP)).check())
                .as("the application's principal may check the topics").isEmpty();
        // An operator's tools see a topic's settings, and cannot change them.
        try (Admin admin = Admin.create(cluster.clientSettings(KafkaPrincipal.INSPECTOR))) {
            ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, OrderEventsTopic.NAME);
            assertThat(admin.describeConfigs(List.of(orders)).all().get(30, TimeUnit.SECONDS).get(orders)
                    .get("min.insync.replicas")).isNotNull();
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(orders,
                    List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aPrincipalWithoutTheAcl_cannotWriteTheOrderOrFulfillmentTopics_norReadCustomerEvents() {
        for (String topic : List.of(OrderEventsTopic.NAME, FulfillmentEventsTopic.NAME)) {
            try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.INSPECTOR)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "forged", "{}"))
                        .get(30, TimeUnit.SECONDS)).as("the inspector writing " + topic)
                        .hasCauseInstanceOf(AuthorizationException.class);
            }
            try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.CONNECT)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "forged", "{}"))
                        .get(30, TimeUnit.SECONDS)).as("Connect writing " + topic)
                        .hasCauseInstanceOf(AuthorizationException.class);
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer(KafkaPrincipal.CONNECT)) {
            TopicPartition partition = new TopicPartition(CustomerEventsTopic.NAME, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** Only the address router writes the address topics; it writes nothing else and reads only customer events. */
    @Test
    void theAddressRouterAloneWritesTheAddressTopics_andNothingElse() throws Exception {
        try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.ROUTER)) {
            producer.send(new ProducerRecord<>(AddressTopics.SHIPPING, UUID.randomUUID().toString(), "{}"))
                    .get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(OrderEventsTopic.NAME, "forged", "{}"))
                    .get(30, TimeUnit.SECONDS)).as("the router writing the order topic")
                    .hasCauseInstanceOf(AuthorizationException.class);
        }
        try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.APP)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(AddressTopics.BILLING, "forged", "{}"))
                    .get(30, TimeUnit.SECONDS)).as("the application writing an address topic")
                    .hasCauseInstanceOf(AuthorizationException.class);
        }
        try (KafkaConsumer<String, String> consumer = consumer(KafkaPrincipal.ROUTER)) {
            TopicPartition partition = new TopicPartition(OrderEventsTopic.NAME, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theSecurityMaterialIsTheOwnersAlone() throws Exception {
        KafkaSecurity security = cluster.security().orElseThrow();
        for (Path file : List.of(security.trustStore(), security.caCertificate(),
                DIRECTORY.resolve("security").resolve("credentials.properties"),
                DIRECTORY.resolve("broker-0").resolve("server.properties"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(security.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    private static KafkaProducer<String, String> producer(KafkaPrincipal principal) {
        Map<String, Object> settings = new HashMap<>(cluster.clientSettings(principal));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaPrincipal principal) {
        Map<String, Object> settings = new HashMap<>(cluster.clientSettings(principal));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }
}
