package io.orderflow.wiring.kafka;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of Kafka client starts from Spring's standard {@code spring.kafka.*} settings, security included, and
 * adds its own on top: a cluster with SASL over TLS is reached by configuration alone.
 */
class KafkaClientsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"orderflow-app\" password=\"secret\";";

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withUserConfiguration(KafkaClients.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=kafka-1:9093,kafka-2:9093",
                    "spring.kafka.security.protocol=SASL_SSL",
                    "spring.kafka.ssl.trust-store-location=file:/etc/orderflow/kafka-ca.p12",
                    "spring.kafka.ssl.trust-store-type=PKCS12",
                    "spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
                    "spring.kafka.properties.sasl.jaas.config=" + JAAS,
                    "spring.kafka.consumer.properties.fetch.max.wait.ms=250");

    @Test
    @SuppressWarnings("unchecked")
    void everyKindOfClientGetsTheBrokersAndTheSecuritySettings() {
        context.run(spring -> {
            KafkaClients clients = spring.getBean(KafkaClients.class);
            Map<Object, Object> streams = new java.util.HashMap<>(clients.streams(Map.of()));
            for (Map<?, ?> configuration : java.util.List.<Map<?, ?>>of(clients.consumer(Map.of()),
                    clients.producer(Map.of()), clients.admin(Map.of()), streams)) {
                assertThat((Map<Object, Object>) configuration)
                        .containsEntry("security.protocol", "SASL_SSL")
                        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                        .containsEntry("sasl.jaas.config", JAAS)
                        .containsEntry("ssl.truststore.type", "PKCS12")
                        .containsKey("ssl.truststore.location");
                assertThat(String.valueOf(configuration.get("bootstrap.servers"))).contains("kafka-1:9093");
            }
            assertThat(clients.consumer(Map.of())).containsEntry("fetch.max.wait.ms", "250");
            assertThat(clients.producer(Map.of())).doesNotContainKey("fetch.max.wait.ms");
        });
    }

    @Test
    void aClientsOwnSettingsWinOverTheSharedOnes() {
        context.run(spring -> {
            KafkaClients clients = spring.getBean(KafkaClients.class);
            assertThat(clients.consumer(Map.of("fetch.max.wait.ms", 10, "client.id", "orderflow-consumer")))
                    .containsEntry("fetch.max.wait.ms", 10).containsEntry("client.id", "orderflow-consumer")
                    .containsEntry("security.protocol", "SASL_SSL");
        });
    }
}
