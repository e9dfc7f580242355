package io.orderflow.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.fixtures.RefusedSettings;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** orderflow.order.*: today's defaults, an override, and a refused value named by its key. */
class OrderPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Registered.class);

    @EnableConfigurationProperties(OrderProperties.class)
    static class Registered {
    }

    @Test
    void withNothingSet_theDefaultsAreTodays() {
        context.run(started -> assertThat(started.getBean(OrderProperties.class))
                .isEqualTo(new OrderProperties(10_000, 10)));
    }

    @Test
    void anOverrideIsTaken() {
        context.withPropertyValues("orderflow.order.cache-size=500", "orderflow.order.snapshot-threshold=3")
                .run(started -> assertThat(started.getBean(OrderProperties.class))
                        .isEqualTo(new OrderProperties(500, 3)));
    }

    @Test
    void anEmptyCacheOrAZeroThresholdIsRefused_namingTheKey() {
        context.withPropertyValues("orderflow.order.cache-size=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.order.cache-size: must be greater than or equal to 1"));
        context.withPropertyValues("orderflow.order.snapshot-threshold=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.order.snapshot-threshold: must be greater than or equal to 1"));
    }
}
