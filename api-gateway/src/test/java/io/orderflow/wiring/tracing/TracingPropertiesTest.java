package io.orderflow.wiring.tracing;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TracingPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TracingProperties.class)
    static class Registered {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Registered.class);

    @Test
    void defaultsKeep20000SpansAndGiveReceiveSpansToRecordsUpToTwoMinutesOld() {
        context.run(started -> assertThat(started.getBean(TracingProperties.class))
                .isEqualTo(new TracingProperties(20000, Duration.ofMinutes(2))));
        context.withPropertyValues("orderflow.tracing.recent-spans=0", "orderflow.tracing.receive-span-limit=30s")
                .run(started -> assertThat(started.getBean(TracingProperties.class))
                        .isEqualTo(new TracingProperties(0, Duration.ofSeconds(30))));
    }

    @Test
    void aNegativeCapacityOrANonPositiveLimitStopsTheStart_namingTheKey() {
        context.withPropertyValues("orderflow.tracing.recent-spans=-1").run(started ->
                assertThat(started.getStartupFailure()).hasStackTraceContaining("orderflow.tracing.recent-spans"));
        context.withPropertyValues("orderflow.tracing.receive-span-limit=0s").run(started ->
                assertThat(started.getStartupFailure())
                        .hasStackTraceContaining("orderflow.tracing.receive-span-limit"));
    }
}
