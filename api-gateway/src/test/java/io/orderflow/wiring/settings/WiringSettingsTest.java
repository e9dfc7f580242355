package io.orderflow.wiring.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.fixtures.RefusedSettings;
import io.orderflow.topics.TopicInitializer;
import io.orderflow.topics.TopicsProperties;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/**
 * The application's own settings, registered as the application registers them (WiringSettings): today's defaults,
 * overrides, and refused values named by their keys.
 */
class WiringSettingsTest {

    /** The two settings without a default in any profile (application.yml gives the public address one). */
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(WiringSettings.class)
            .withPropertyValues("orderflow.kafka.bootstrap-servers=127.0.0.1:9092",
                    "orderflow.public-base-url=http://localhost:8080");

    @Test
    void withNothingElseSet_theDefaultsAreTodays() {
        context.run(started -> {
            assertThat(started.getBean(ApiProperties.class)).isEqualTo(new ApiProperties(Duration.ofSeconds(10),
                    Duration.ofSeconds(5), 1000, 32, DataSize.ofMegabytes(1), Duration.ofHours(24),
                    Duration.ofMinutes(10), new ApiProperties.RateLimit(20, 500)));
            assertThat(started.getBean(AccessProperties.class)).isEqualTo(new AccessProperties("roles", "customer_id",
                    new AccessProperties.Dashboard("", "", "{baseUrl}/login/oauth2/code/{registrationId}")));
            assertThat(started.getBean(InstanceProperties.class))
                    .isEqualTo(new InstanceProperties("", "./.orderflow", "http://localhost:8080"));
            assertThat(started.getBean(ProcessorsProperties.class)).isEqualTo(new ProcessorsProperties(
                    Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2)));
            assertThat(started.getBean(EventKafkaProperties.class)).isEqualTo(new EventKafkaProperties(
                    "127.0.0.1:9092", new EventKafkaProperties.Publisher(1, 500, Duration.ofSeconds(10)),
                    new EventKafkaProperties.Consumer(Duration.ofMillis(1000))));
            assertThat(started.getBean(AddressRoutingProperties.class))
                    .isEqualTo(new AddressRoutingProperties(true, ""));
            assertThat(started.getBean(EventStoreProperties.class).batchSize()).isEqualTo(1000);
            assertThat(started.getBean(CommandsProperties.class))
                    .isEqualTo(new CommandsProperties(3, Duration.ofMillis(20)));
            assertThat(started.getBean(AuditProperties.class).interval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(started.getBean(TopicsProperties.class).mode()).isEqualTo(TopicInitializer.Mode.CHECK);
        });
    }

    @Test
    void overridesAreTaken_aBarePollTimeoutInMilliseconds() {
        context.withPropertyValues("orderflow.api.max-concurrent-requests=64", "orderflow.api.max-body-size=256KB",
                "orderflow.api.rate-limit.customer-writes-per-second=5", "orderflow.instance-id=orderflow-1",
                "orderflow.processors.claim-timeout=30s", "orderflow.kafka.consumer.poll-timeout=250",
                "orderflow.kafka.publisher.ack-timeout=1m", "orderflow.security.roles-claim=groups",
                "orderflow.address-routing.embedded=false", "orderflow.commands.conflict-retry-interval=0ms")
                .run(started -> {
                    ApiProperties api = started.getBean(ApiProperties.class);
                    assertThat(api.maxConcurrentRequests()).isEqualTo(64);
                    assertThat(api.maxBodySize()).isEqualTo(DataSize.ofKilobytes(256));
                    assertThat(api.rateLimit()).isEqualTo(new ApiProperties.RateLimit(5, 500));
                    assertThat(started.getBean(InstanceProperties.class).instanceId()).isEqualTo("orderflow-1");
                    assertThat(started.getBean(ProcessorsProperties.class).claimTimeout())
                            .isEqualTo(Duration.ofSeconds(30));
                    EventKafkaProperties kafka = started.getBean(EventKafkaProperties.class);
                    assertThat(kafka.consumer().pollTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(kafka.publisher().ackTimeout()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(started.getBean(AccessProperties.class).rolesClaim()).isEqualTo("groups");
                    assertThat(started.getBean(AddressRoutingProperties.class).embedded()).isFalse();
                    assertThat(started.getBean(CommandsProperties.class).conflictRetryInterval()).isZero();
                });
    }

    @Test
    void badValuesAreRefused_namingTheirKeys() {
        context.withPropertyValues("orderflow.api.max-concurrent-requests=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.api.max-concurrent-requests: must be greater than or equal to 1"));
        context.withPropertyValues("orderflow.api.rate-limit.writes-per-second=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.api.rate-limit.writes-per-second: must be greater than or equal to 1"));
        context.withPropertyValues("orderflow.commands.conflict-retries=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.commands.conflict-retries: must be greater than or equal to 1"));
        context.withPropertyValues("orderflow.instance-id=pod 1").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure())).singleElement().asString()
                .startsWith("orderflow.instance-id: must be empty or 1 to 64 letters"));
        context.withPropertyValues("orderflow.processors.balance-check=0s").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure())).singleElement().asString()
                .startsWith("orderflow.processors.balance-check: must be longer than or equal to"));
    }

    @Test
    void withoutBrokersOrAPublicAddress_theStartIsRefused_namingTheKey() {
        new ApplicationContextRunner().withUserConfiguration(WiringSettings.class)
                .withPropertyValues("orderflow.public-base-url=http://localhost:8080")
                .run(started -> assertThat(RefusedSettings.of(started.getStartupFailure()))
                        .containsExactly("orderflow.kafka.bootstrap-servers: must not be blank"));
        context.withPropertyValues("orderflow.public-base-url=").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .contains("orderflow.public-base-url: must not be blank"));
    }
}
