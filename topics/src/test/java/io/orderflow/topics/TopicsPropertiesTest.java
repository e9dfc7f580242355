package io.orderflow.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orderflow.fixtures.RefusedSettings;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/** orderflow.kafka.topics.*: bound and validated as the applications bind it. */
class TopicsPropertiesTest {

    private static final ValidatorFactory VALIDATORS = Validation.buildDefaultValidatorFactory();

    @AfterAll
    static void close() {
        VALIDATORS.close();
    }

    @Test
    void withNothingSet_theDefaultsAreTodays() {
        TopicsProperties topics = bind(Map.of());

        assertThat(topics).isEqualTo(new TopicsProperties(true, TopicInitializer.Mode.CHECK, Topics.DEFAULT_PARTITIONS,
                0, 0, Duration.ofSeconds(60)));
    }

    @Test
    void aGoodOverrideIsTaken_inAnyCaseOfTheMode() {
        TopicsProperties topics = bind(Map.of("orderflow.kafka.topics.mode", "APPLY",
                "orderflow.kafka.topics.partitions", "12", "orderflow.kafka.topics.replication-factor", "3",
                "orderflow.kafka.topics.min-insync-replicas", "2", "orderflow.kafka.topics.timeout", "2m",
                "orderflow.kafka.topics.enabled", "false"));

        assertThat(topics).isEqualTo(new TopicsProperties(false, TopicInitializer.Mode.APPLY, 12, 3, 2,
                Duration.ofMinutes(2)));
    }

    @Test
    void aBareTimeoutIsMilliseconds_asBefore() {
        assertThat(bind(Map.of("orderflow.kafka.topics.timeout", "1500")).timeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void zeroPartitionsAreRefused_namingTheKey() {
        Throwable failure = catchThrowable(() -> bind(Map.of("orderflow.kafka.topics.partitions", "0")));

        assertThat(failure).hasRootCauseInstanceOf(BindValidationException.class);
        assertThat(RefusedSettings.of(failure))
                .containsExactly("orderflow.kafka.topics.partitions: must be greater than or equal to 1");
    }

    private static TopicsProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("orderflow.kafka.topics",
                Bindable.of(TopicsProperties.class),
                new ValidationBindHandler(new SpringValidatorAdapter(VALIDATORS.getValidator())));
    }
}
