package io.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orderflow.fixtures.RefusedSettings;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

/**
 * The development launcher's settings, bound with Spring Boot's binder before any context exists: today's defaults,
 * an override, and a refused value named by its key.
 */
class EmbeddedInfrastructurePropertiesTest {

    @Test
    void withNothingSet_theDefaultsAreTodays() {
        EmbeddedInfrastructureProperties settings = EmbeddedInfrastructureProperties.bind(new MockEnvironment());

        assertThat(settings.home()).isEqualTo("./.orderflow");
        assertThat(settings.embedded().enabled()).isTrue();
        assertThat(settings.embedded().watchStdin()).isTrue();
        assertThat(settings.postgres()).isEqualTo(new EmbeddedInfrastructureProperties.Postgres(0, "orderflow", false,
                null));
        assertThat(settings.kafka()).isEqualTo(new EmbeddedInfrastructureProperties.Kafka(1, 0, null));
        assertThat(settings.auth().port()).isZero();
        assertThat(settings.payment().simulator().enabled()).as("unset: decided by the embedded mode").isNull();
        assertThat(settings.payment().simulator().port()).isZero();
        assertThat(settings.mail().smtpServer().enabled()).isNull();
        assertThat(settings.connect().embedded()).isTrue();
        assertThat(settings.connect().database().username()).isNull();
    }

    @Test
    void overridesAreTaken_environmentVariablesInTheirRelaxedForm() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("orderflow.kafka.brokers", "3")
                .withProperty("orderflow.kafka.secured", "false")
                .withProperty("orderflow.payment.simulator.enabled", "true")
                .withProperty("orderflow.mail.smtp-server.port", "2525")
                .withProperty("orderflow.postgres.wal-archive", "true")
                .withProperty("orderflow.connect.database.username", "orderflow_connect");
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                "env", Map.of("ORDERFLOW_HOME", "/srv/orderflow", "ORDERFLOW_POSTGRES_PORT", "15432")));

        EmbeddedInfrastructureProperties settings = EmbeddedInfrastructureProperties.bind(environment);

        assertThat(settings.home()).isEqualTo("/srv/orderflow");
        assertThat(settings.postgres().port()).isEqualTo(15432);
        assertThat(settings.postgres().walArchive()).isTrue();
        assertThat(settings.kafka().brokers()).isEqualTo(3);
        assertThat(settings.kafka().secured()).isFalse();
        assertThat(settings.payment().simulator().enabled()).isTrue();
        assertThat(settings.mail().smtpServer().port()).isEqualTo(2525);
        assertThat(settings.connect().database().username()).isEqualTo("orderflow_connect");
    }

    @Test
    void badValuesAreRefused_eachNamedByItsKey() {
        assertThat(RefusedSettings.of(catchThrowable(() -> EmbeddedInfrastructureProperties.bind(new MockEnvironment()
                .withProperty("orderflow.kafka.brokers", "0")))))
                .containsExactly("orderflow.kafka.brokers: must be greater than or equal to 1");
        assertThat(RefusedSettings.of(catchThrowable(() -> EmbeddedInfrastructureProperties.bind(new MockEnvironment()
                .withProperty("orderflow.payment.simulator.port", "70000")))))
                .containsExactly("orderflow.payment.simulator.port: must be less than or equal to 65535");
        assertThat(RefusedSettings.of(catchThrowable(() -> EmbeddedInfrastructureProperties.bind(new MockEnvironment()
                .withProperty("orderflow.home", " ")))))
                .containsExactly("orderflow.home: must not be blank");
    }

    @Test
    void aValueThatIsNoNumberIsRefused_namingItsKey() {
        Throwable failure = catchThrowable(() -> EmbeddedInfrastructureProperties.bind(new MockEnvironment()
                .withProperty("orderflow.postgres.port", "five")));

        assertThat(RefusedSettings.of(failure)).singleElement().asString().startsWith("orderflow.postgres.port: ");
    }

    @Test
    void underTheProdProfile_nothingIsEmbedded_evenWhenAskedFor() {
        MockEnvironment environment = new MockEnvironment().withProperty("orderflow.embedded.enabled", "true");
        environment.setActiveProfiles("prod");

        Throwable failure = catchThrowable(() -> new EmbeddedInfrastructureEnvironmentPostProcessor(new DeferredLogs())
                .postProcessEnvironment(environment, new SpringApplication()));

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("orderflow.embedded.enabled").hasMessageContaining("prod profile");
        assertThat(environment.getPropertySources()
                .contains(EmbeddedInfrastructureEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
    }

    @Test
    void underTheProdProfile_theLauncherTurnedOffStartsNothing() {
        MockEnvironment environment = new MockEnvironment().withProperty("orderflow.embedded.enabled", "false");
        environment.setActiveProfiles("prod");

        new EmbeddedInfrastructureEnvironmentPostProcessor(new DeferredLogs())
                .postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getPropertySources()
                .contains(EmbeddedInfrastructureEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
    }
}
