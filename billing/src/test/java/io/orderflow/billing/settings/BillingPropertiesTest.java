package io.orderflow.billing.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.fixtures.RefusedSettings;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** orderflow.billing.*: today's defaults, an override, and refused values named by their keys. */
class BillingPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(BillingSettings.class);

    @Test
    void withNothingSet_theDefaultsAreTodays() {
        context.run(started -> assertThat(started.getBean(BillingProperties.class))
                .isEqualTo(new BillingProperties(ZoneId.of("UTC"), "orderflow demo shop", 100)));
    }

    @Test
    void anOverrideIsTaken() {
        context.withPropertyValues("orderflow.billing.zone=Europe/Berlin", "orderflow.billing.issuer=Example Shop GmbH",
                        "orderflow.billing.batch-size=20")
                .run(started -> assertThat(started.getBean(BillingProperties.class))
                        .isEqualTo(new BillingProperties(ZoneId.of("Europe/Berlin"), "Example Shop GmbH", 20)));
    }

    @Test
    void aBlankIssuerOrAnUnknownZoneIsRefused_namingTheKey() {
        // The prod profile leaves the issuer blank unless ORDERFLOW_BILLING_ISSUER is set.
        context.withPropertyValues("orderflow.billing.issuer=").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure()))
                .containsExactly("orderflow.billing.issuer: must not be blank"));
        context.withPropertyValues("orderflow.billing.zone=Mars/Olympus").run(started -> assertThat(
                RefusedSettings.of(started.getStartupFailure())).singleElement().asString()
                .startsWith("orderflow.billing.zone: "));
    }
}
