package io.orderflow.infra;

import io.orderflow.infra.kafka.KafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether the embedded brokers are secured, decided before anything starts (ADR 0031). */
class EmbeddedKafkaSecurityDefaultTest {

    @TempDir
    Path home;

    @Test
    void aNewHomeIsSecuredWhenNothingIsSaid() {
        assertThat(cluster(null).security()).isPresent();
        assertThat(home.resolve("kafka/security")).isDirectory();
    }

    @Test
    void aHomeAnEarlierReleaseMadeInPlaintextStaysPlaintextWhenNothingIsSaid() throws IOException {
        formatWithoutCredentials();

        KafkaCluster kafka = cluster(null);

        assertThat(kafka.formattedWithoutCredentials()).isTrue();
        assertThat(kafka.security()).isEmpty();
    }

    @Test
    void securedOnRequestEvenOnAPlaintextHome_whichTheStartThenRefuses() throws IOException {
        formatWithoutCredentials();

        assertThat(cluster(true).security()).isPresent();
    }

    @Test
    void plaintextOnRequest() {
        assertThat(cluster(false).security()).isEmpty();
    }

    private KafkaCluster cluster(Boolean secured) {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("orderflow.home", home.toString())
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/orderflow")
                .withProperty(EmbeddedInfrastructureSettings.ISSUER_PROPERTY, "https://issuer.example");
        if (secured != null) {
            environment.setProperty(EmbeddedInfrastructureSettings.KAFKA_SECURED_PROPERTY, secured.toString());
        }
        return new EmbeddedInfrastructure(EmbeddedInfrastructureSettings.from(environment)).kafka().orElseThrow();
    }

    /** What a plaintext broker leaves: formatted storage and no SCRAM credentials beside it. */
    private void formatWithoutCredentials() throws IOException {
        Path data = Files.createDirectories(home.resolve("kafka/broker-0/data"));
        Files.writeString(data.resolve("meta.properties"), "version=1\nnode.id=0\n");
    }
}
