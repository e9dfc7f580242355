package io.orderflow.customer.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.fixtures.RefusedSettings;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** orderflow.personal-data.*: the master key is required; the cache's time to live has today's default. */
class PersonalDataPropertiesTest {

    private static final String KEY = PersonalDataCipher.newMasterKey();

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Registered.class);

    @EnableConfigurationProperties(PersonalDataProperties.class)
    static class Registered {
    }

    @Test
    void withAMasterKey_theCacheKeepsKeysFiveMinutes() {
        context.withPropertyValues("orderflow.personal-data.master-key=" + KEY).run(started -> {
            PersonalDataProperties settings = started.getBean(PersonalDataProperties.class);
            assertThat(settings.masterKey()).isEqualTo(KEY);
            assertThat(settings.keyCacheTtl()).isEqualTo(Duration.ofMinutes(5));
            assertThat(settings.toString()).as("the key is never printed").doesNotContain(KEY);
        });
    }

    @Test
    void anOverrideIsTaken() {
        context.withPropertyValues("orderflow.personal-data.master-key=" + KEY,
                        "orderflow.personal-data.key-cache-ttl=30s")
                .run(started -> assertThat(started.getBean(PersonalDataProperties.class).keyCacheTtl())
                        .isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void withoutAMasterKey_theStartIsRefused_namingTheKeyAndHowToMakeOne() {
        context.run(started -> assertThat(RefusedSettings.of(started.getStartupFailure())).singleElement()
                .asString().startsWith("orderflow.personal-data.master-key: must be set")
                .contains("ORDERFLOW_PERSONAL_DATA_MASTER_KEY", "openssl rand -base64 32"));
    }

    @Test
    void aNegativeCacheTimeIsRefused_namingTheKey() {
        context.withPropertyValues("orderflow.personal-data.master-key=" + KEY,
                        "orderflow.personal-data.key-cache-ttl=-1s")
                .run(started -> assertThat(RefusedSettings.of(started.getStartupFailure())).singleElement()
                        .asString().startsWith("orderflow.personal-data.key-cache-ttl: must be longer than or equal to 0"));
    }
}
