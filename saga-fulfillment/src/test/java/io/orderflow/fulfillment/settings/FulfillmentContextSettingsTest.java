package io.orderflow.fulfillment.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.fixtures.RefusedSettings;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The fulfillment context's settings (orderflow.fulfillment.*, orderflow.payment.*, orderflow.shipment.*,
 * orderflow.crash-points), registered as the application registers them: today's defaults, overrides, and refused
 * values named by their keys.
 */
class FulfillmentContextSettingsTest {

    private static final String PROVIDER = "orderflow.payment.provider-url=http://127.0.0.1:9999";

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(FulfillmentContextSettings.class);

    @Test
    void withOnlyTheProviderNamed_theDefaultsAreTodays() {
        context.withPropertyValues(PROVIDER).run(started -> {
            assertThat(started.getBean(FulfillmentProperties.class)).isEqualTo(FulfillmentProperties.defaults())
                    .isEqualTo(new FulfillmentProperties(1, 250, 4, 256, Duration.ofSeconds(30),
                            Duration.ofMinutes(15), 3, Duration.ofSeconds(2), Duration.ofSeconds(30)));
            assertThat(started.getBean(PaymentProperties.class)).isEqualTo(new PaymentProperties(
                    "http://127.0.0.1:9999", Duration.ofSeconds(1), Duration.ofSeconds(2), 3, Duration.ofMillis(100)));
            assertThat(started.getBean(ShipmentProperties.class).unservedCountries()).containsExactly("AQ");
            assertThat(started.getBean(CrashPointProperties.class).crashPoints()).isEmpty();
        });
    }

    @Test
    void overridesAreTaken() {
        context.withPropertyValues(PROVIDER, "orderflow.fulfillment.groups=2", "orderflow.fulfillment.parallelism=16",
                "orderflow.fulfillment.address-wait=6s", "orderflow.fulfillment.payment-retry-delay=500ms",
                "orderflow.payment.attempts=5", "orderflow.shipment.unserved-countries=AQ, KP",
                "orderflow.crash-points=before-shipment,during-compensation").run(started -> {
                    FulfillmentProperties fulfillment = started.getBean(FulfillmentProperties.class);
                    assertThat(fulfillment.groups()).isEqualTo(2);
                    assertThat(fulfillment.parallelism()).isEqualTo(16);
                    assertThat(fulfillment.addressWait()).isEqualTo(Duration.ofSeconds(6));
                    assertThat(fulfillment.paymentRetryDelay()).isEqualTo(Duration.ofMillis(500));
                    assertThat(started.getBean(PaymentProperties.class).attempts()).isEqualTo(5);
                    assertThat(started.getBean(ShipmentProperties.class).unservedCountries())
                            .isEqualTo(Set.of("AQ", "KP"));
                    assertThat(started.getBean(CrashPointProperties.class).crashPoints())
                            .isEqualTo(Set.of("before-shipment", "during-compensation"));
                });
    }

    @Test
    void withoutAProvider_theStartIsRefused_namingTheKey() {
        context.run(started -> assertThat(RefusedSettings.of(started.getStartupFailure()))
                .contains("orderflow.payment.provider-url: must not be blank"));
        context.withPropertyValues("orderflow.payment.provider-url=payments.internal").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.payment.provider-url: must be an http(s) URL"));
    }

    @Test
    void badValuesAreRefused_namingTheirKeys() {
        context.withPropertyValues(PROVIDER, "orderflow.fulfillment.groups=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.fulfillment.groups: must be greater than or equal to 1"));
        context.withPropertyValues(PROVIDER, "orderflow.fulfillment.payment-attempts=0").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.fulfillment.payment-attempts: must be greater than or equal to 1"));
        context.withPropertyValues(PROVIDER, "orderflow.payment.request-timeout=0s").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure())).singleElement().asString()
                .startsWith("orderflow.payment.request-timeout: must be longer than or equal to"));
    }
}
