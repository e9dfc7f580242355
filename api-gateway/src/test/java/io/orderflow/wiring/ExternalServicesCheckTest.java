package io.orderflow.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/**
 * The production start check (ADR 0017, 0044): it names every missing setting at once, the shop's own names among
 * them, and each orderflow.* setting it requires is one that a settings type declares (and requires too).
 */
class ExternalServicesCheckTest {

    @Test
    void everyOrderflowSettingItRequiresIsDeclaredByASettingsType() throws IOException {
        Set<String> declared = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                json.readTree(in).path("properties").forEach((JsonNode property) ->
                        declared.add(property.path("name").asText()));
            }
        }

        assertThat(ExternalServicesCheck.REQUIREMENTS).filteredOn(requirement ->
                        requirement.property().startsWith("orderflow."))
                .hasSize(6)
                .allSatisfy(requirement -> assertThat(declared).contains(requirement.property()));
    }

    @Test
    void withTheShopsNamesLeftBlank_asUnderTheProdProfile_theStartIsRefusedNamingBoth() {
        MockEnvironment environment = new MockEnvironment();
        for (ExternalServicesCheck.Requirement requirement : ExternalServicesCheck.REQUIREMENTS) {
            environment.setProperty(requirement.property(), "set");
        }
        environment.setProperty("orderflow.billing.issuer", "");
        environment.setProperty("orderflow.notifications.from", " ");

        Throwable refused = catchThrowable(() -> new ExternalServicesCheck()
                .postProcessEnvironment(environment, new SpringApplication()));

        assertThat(refused).isInstanceOf(ExternalServicesCheck.MissingServicesException.class);
        assertThat(((ExternalServicesCheck.MissingServicesException) refused).description())
                .contains("ORDERFLOW_BILLING_ISSUER (orderflow.billing.issuer)",
                        "ORDERFLOW_NOTIFICATIONS_FROM (orderflow.notifications.from)")
                .doesNotContain("SPRING_DATASOURCE_URL");
    }

    @Test
    void withEverySettingGiven_theStartGoesOn() {
        MockEnvironment environment = new MockEnvironment();
        for (ExternalServicesCheck.Requirement requirement : ExternalServicesCheck.REQUIREMENTS) {
            environment.setProperty(requirement.property(), "set");
        }

        new ExternalServicesCheck().postProcessEnvironment(environment, new SpringApplication());
    }
}
