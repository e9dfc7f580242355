package io.orderflow.architecture;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every module numbers its Flyway migrations in its own band (docs/migrations.md), and no two migrations share a
 * version. The migrations are found as the application finds them: on the class path, in every module.
 */
class MigrationBandsTest {

    /** Migrations up to this version came before the bands and keep their numbers. */
    private static final int BEFORE_THE_BANDS = 12;
    private static final Map<String, Integer> BAND_OF_MODULE = Map.of(
            "api-gateway", 1000,
            "order-aggregate", 2000,
            "customer-profile", 3000,
            "saga-fulfillment", 4000,
            "projections", 5000,
            "billing", 6000);
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");
    /** Flyway's SQL callbacks, run around the migrations rather than versioned; only the platform has one. */
    private static final Map<String, String> CALLBACKS = Map.of("afterMigrate.sql", "api-gateway");

    @Test
    void everyMigrationIsInItsModulesBandAndEveryVersionIsUnique() throws IOException {
        Resource[] migrations = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:db/migration/*.sql");
        Map<Integer, String> byVersion = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Resource migration : migrations) {
            String name = migration.getFilename();
            String module = moduleOf(migration.getURL().toString());
            Matcher versioned = VERSIONED.matcher(name);
            if (module.equals(CALLBACKS.get(name))) {
                continue;
            }
            if (!versioned.matches()) {
                problems.add(module + ": " + name + " is not named V<version>__<lower_case_words>.sql");
                continue;
            }
            int version = Integer.parseInt(versioned.group(1));
            String earlier = byVersion.put(version, module + "/" + name);
            if (earlier != null) {
                problems.add("version " + version + " is taken twice: " + earlier + " and " + module + "/" + name);
            }
            if (version <= BEFORE_THE_BANDS) {
                continue;
            }
            Integer band = BAND_OF_MODULE.get(module);
            if (band == null) {
                problems.add(name + " is in " + module + ", which has no band in docs/migrations.md");
            } else if (version < band || version >= band + 1000) {
                problems.add(module + ": " + name + " is outside its band V" + band + " to V" + (band + 999)
                        + " (docs/migrations.md)");
            }
        }

        assertThat(byVersion).as("the migrations found on the class path").containsKeys(1, 12);
        assertThat(problems).as("migrations out of their bands (docs/migrations.md)").isEmpty();
    }

    private static String moduleOf(String url) {
        for (String module : BAND_OF_MODULE.keySet()) {
            if (url.contains("/" + module + "/") || url.contains("/" + module + "-")) {
                return module;
            }
        }
        return url;
    }
}
