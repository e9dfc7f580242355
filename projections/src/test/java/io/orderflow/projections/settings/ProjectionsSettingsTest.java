package io.orderflow.projections.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.fixtures.RefusedSettings;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The read side's settings (orderflow.projections.*, orderflow.analytics.*, orderflow.notifications.*), registered as
 * the application registers them: today's defaults, overrides, and refused values named by their keys.
 */
class ProjectionsSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(ProjectionsSettings.class);

    @Test
    void withNothingSet_theDefaultsAreTodays() {
        context.run(started -> {
            assertThat(started.getBean(ProjectionsProperties.class))
                    .isEqualTo(new ProjectionsProperties(4, 500, Duration.ofMillis(500)));
            assertThat(started.getBean(AnalyticsProperties.class)).isEqualTo(new AnalyticsProperties(50));
            assertThat(started.getBean(NotificationsProperties.class)).isEqualTo(new NotificationsProperties(10,
                    "orders@orderflow.local", Duration.ofMinutes(1), Duration.ofSeconds(10)));
        });
    }

    @Test
    void overridesAreTaken() {
        context.withPropertyValues("orderflow.projections.segments=8", "orderflow.projections.batch-size=100",
                "orderflow.projections.rebuild-check=2s", "orderflow.analytics.batch-size=5",
                "orderflow.notifications.from=Shop <orders@shop.example>", "orderflow.notifications.retry-after=5m",
                "orderflow.notifications.retry-check=1s", "orderflow.notifications.batch-size=20").run(started -> {
                    assertThat(started.getBean(ProjectionsProperties.class))
                            .isEqualTo(new ProjectionsProperties(8, 100, Duration.ofSeconds(2)));
                    assertThat(started.getBean(AnalyticsProperties.class).batchSize()).isEqualTo(5);
                    assertThat(started.getBean(NotificationsProperties.class)).isEqualTo(new NotificationsProperties(
                            20, "Shop <orders@shop.example>", Duration.ofMinutes(5), Duration.ofSeconds(1)));
                });
    }

    @Test
    void badValuesAreRefused_namingTheirKeys() {
        context.withPropertyValues("orderflow.projections.segments=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.projections.segments: must be greater than or equal to 1"));
        context.withPropertyValues("orderflow.analytics.batch-size=-3").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.analytics.batch-size: must be greater than or equal to 1"));
        context.withPropertyValues("orderflow.notifications.from= ").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.notifications.from: must not be blank"));
        context.withPropertyValues("orderflow.notifications.retry-check=soon").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure())).singleElement().asString()
                .startsWith("orderflow.notifications.retry-check: "));
    }
}
