package io.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class EmbeddedInfrastructureSettingsTest {

    @Test
    void givenNothingConfigured_thenBothEmbeddedWithOneBrokerUnderDotOrderflow() {
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(new MockEnvironment());

        assertThat(settings.embeddedPostgres()).isTrue();
        assertThat(settings.embeddedKafka()).isTrue();
        assertThat(settings.kafkaBrokers()).isEqualTo(1);
        assertThat(settings.home()).isEqualTo(Path.of(".orderflow").toAbsolutePath().normalize());
        assertThat(settings.postgresDirectory()).endsWithRaw(Path.of(".orderflow", "postgres"));
        assertThat(settings.kafkaDirectory()).endsWithRaw(Path.of(".orderflow", "kafka"));
        assertThat(settings.database()).isEqualTo("orderflow");
    }

    @Test
    void givenDatasourceUrl_thenPostgresIsExternalAndKafkaStillEmbedded() {
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/orderflow"));

        assertThat(settings.embeddedPostgres()).isFalse();
        assertThat(settings.externalJdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/orderflow");
        assertThat(settings.embeddedKafka()).isTrue();
    }

    @Test
    void givenBlankDatasourceUrl_thenPostgresIsEmbedded() {
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(new MockEnvironment()
                .withProperty("spring.datasource.url", " "));

        assertThat(settings.embeddedPostgres()).isTrue();
    }

    @Test
    void givenSeveralBootstrapProperties_thenKafkaBootstrapServersEnvironmentVariableWins() {
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(new MockEnvironment()
                .withProperty("spring.kafka.bootstrap-servers", "spring:9092")
                .withProperty("axon.kafka.bootstrap-servers", "axon:9092")
                .withProperty("KAFKA_BOOTSTRAP_SERVERS", "env:9092"));

        assertThat(settings.embeddedKafka()).isFalse();
        assertThat(settings.externalBootstrapServers()).isEqualTo("env:9092");
    }

    @Test
    void givenOnlySpringKafkaBootstrap_thenKafkaIsExternal() {
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(new MockEnvironment()
                .withProperty("spring.kafka.bootstrap-servers", "spring:9092"));

        assertThat(settings.externalBootstrapServers()).isEqualTo("spring:9092");
    }

    @Test
    void givenEmbeddedDisabled_thenNothingStarts() {
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(new MockEnvironment()
                .withProperty("orderflow.embedded.enabled", "false"));

        assertThat(settings.embeddedPostgres()).isFalse();
        assertThat(settings.embeddedKafka()).isFalse();
    }

    @Test
    void givenHomeBrokersAndPorts_thenTheyAreUsed() {
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(new MockEnvironment()
                .withProperty("orderflow.home", "/srv/orderflow")
                .withProperty("orderflow.kafka.brokers", "3")
                .withProperty("orderflow.kafka.port", "19092")
                .withProperty("orderflow.postgres.port", "15432"));

        assertThat(settings.home()).isEqualTo(Path.of("/srv/orderflow"));
        assertThat(settings.kafkaBrokers()).isEqualTo(3);
        assertThat(settings.kafkaPort()).isEqualTo(19092);
        assertThat(settings.postgresPort()).isEqualTo(15432);
    }
}
