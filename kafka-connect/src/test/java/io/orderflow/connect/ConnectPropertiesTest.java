package io.orderflow.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.fixtures.RefusedSettings;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** orderflow.connect.* (the connector files' side): today's defaults, an override, and a refused URL. */
class ConnectPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(ConnectSettings.class);

    @Test
    void withNothingSet_noClusterIsNamedAndTheDefaultsAreTodays() {
        context.run(started -> {
            assertThat(started.getBean(ConnectProperties.class))
                    .isEqualTo(new ConnectProperties("", true, Duration.ofMinutes(5)));
            assertThat(started).doesNotHaveBean(ConnectorInstaller.class);
        });
    }

    @Test
    void anOverrideIsTaken() {
        context.withPropertyValues("orderflow.connect.url=http://connect.internal:8083",
                        "orderflow.connect.apply-connectors=false", "orderflow.connect.start-timeout=30s")
                .run(started -> assertThat(started.getBean(ConnectProperties.class)).isEqualTo(
                        new ConnectProperties("http://connect.internal:8083", false, Duration.ofSeconds(30))));
    }

    @Test
    void aUrlThatIsNoHttpUrlIsRefused_namingTheKey() {
        context.withPropertyValues("orderflow.connect.url=connect.internal:8083").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.connect.url: must be empty or an http(s) URL"));
    }
}
