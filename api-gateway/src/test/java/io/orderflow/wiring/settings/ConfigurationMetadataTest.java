package io.orderflow.wiring.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every {@code orderflow.*} setting the repository sets is declared by a settings type, so that a misspelt key (which
 * Spring would silently ignore, leaving the default in force) fails the build: the keys of the application's YAML
 * files, the variables the deployment manifests give the application, and the placeholders left in code (schedules,
 * conditions, which cannot read a bean) with their defaults. The declarations are the metadata the configuration
 * processor generates into each module's jar ({@code META-INF/spring-configuration-metadata.json}, ADR 0044).
 */
class ConfigurationMetadataTest {

    private static final Path ROOT = Path.of(System.getProperty("orderflow.repository.directory", ".."));
    private static final Path RESOURCES = Path.of("src", "main", "resources");
    private static final Pattern CODE_PLACEHOLDER = Pattern.compile("\\$\\{(orderflow\\.[a-z0-9.-]+)(?::([^}]*))?}");
    private static final Pattern MANIFEST_VARIABLE = Pattern.compile(
            "^\\s*(?:-\\s*name:\\s*)?(ORDERFLOW_[A-Z0-9_]+)\\s*:?", Pattern.MULTILINE);
    private static final Pattern MANIFEST_KEY = Pattern.compile("target:\\s*(orderflow\\.[a-z0-9.-]+)");

    /** Every declared key, with its default where it has one. */
    private static final Map<String, String> DECLARED = new TreeMap<>();

    @BeforeAll
    static void readMetadata() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    JsonNode value = property.path("defaultValue");
                    DECLARED.putIfAbsent(property.path("name").asText(),
                            value.isMissingNode() || value.isNull() ? null : value.asText());
                }
            }
        }
        assertThat(DECLARED).as("the metadata of the modules' settings types").containsKeys(
                "orderflow.fulfillment.groups", "orderflow.embedded.enabled", "orderflow.kafka.topics.mode",
                "orderflow.api.command-timeout", "orderflow.billing.issuer", "orderflow.personal-data.master-key");
    }

    @Test
    void everyOrderflowKeyOfTheApplicationsYamlFilesIsDeclared() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Path file : applicationYamlFiles()) {
            keys.addAll(orderflowKeys(file));
        }

        assertThat(keys).as("orderflow.* keys set in application*.yml").hasSizeGreaterThan(40);
        assertThat(undeclared(keys)).as("keys set in application*.yml that no settings type declares").isEmpty();
    }

    @Test
    void everyOrderflowVariableOrKeyTheDeploymentManifestsGiveTheApplicationIsDeclared() throws IOException {
        String yamlFiles = yamlFilesText();
        Set<String> unknown = new TreeSet<>();
        int seen = 0;
        for (Path manifest : manifests()) {
            String text = Files.readString(manifest, StandardCharsets.UTF_8);
            Matcher variable = MANIFEST_VARIABLE.matcher(text);
            while (variable.find()) {
                seen++;
                String name = variable.group(1);
                // A variable that application*.yml names in a placeholder is checked there, through its key.
                if (!yamlFiles.contains("${" + name + ":") && !yamlFiles.contains("${" + name + "}")
                        && declaredKeyOfVariable(name) == null) {
                    unknown.add(ROOT.relativize(manifest) + ": " + name);
                }
            }
            Matcher key = MANIFEST_KEY.matcher(text);
            while (key.find()) {
                seen++;
                if (!DECLARED.containsKey(key.group(1))) {
                    unknown.add(ROOT.relativize(manifest) + ": " + key.group(1));
                }
            }
        }

        assertThat(seen).as("orderflow settings found in deploy/").isGreaterThan(10);
        assertThat(unknown).as("settings the manifests give that no settings type declares").isEmpty();
    }

    @Test
    void everyPlaceholderLeftInCodeNamesADeclaredKey_withTheDeclaredDefault() throws IOException {
        Map<String, String> mismatches = new TreeMap<>();
        int seen = 0;
        for (Path source : mainSources()) {
            Matcher placeholder = CODE_PLACEHOLDER.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (placeholder.find()) {
                seen++;
                String key = placeholder.group(1);
                String where = ROOT.relativize(source) + ": " + key;
                if (!DECLARED.containsKey(key)) {
                    mismatches.put(where, "not declared");
                } else if (placeholder.group(2) != null && !placeholder.group(2).isEmpty()
                        && !placeholder.group(2).equals(DECLARED.get(key))) {
                    mismatches.put(where, "default " + placeholder.group(2) + " in code, " + DECLARED.get(key)
                            + " declared");
                }
            }
        }

        assertThat(seen).as("placeholders found in the main code").isGreaterThan(5);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void aMisspeltKeyOrVariableIsFound() throws IOException {
        Path file = Files.createTempFile("application-typo", ".yml");
        try {
            Files.writeString(file, "orderflow:\n  fulfilment:\n    groups: 2\n  fulfillment:\n    groups: 2\n");
            assertThat(undeclared(orderflowKeys(file))).containsExactly("orderflow.fulfilment.groups");
        } finally {
            Files.delete(file);
        }
        assertThat(declaredKeyOfVariable("ORDERFLOW_FULFILLMENT_GROUPS")).isEqualTo("orderflow.fulfillment.groups");
        assertThat(declaredKeyOfVariable("ORDERFLOW_FULFILLMENT_PARALELLISM")).isNull();
    }

    /** The key a variable sets through Spring's relaxed binding (with or without its dashes as underscores). */
    static String declaredKeyOfVariable(String variable) {
        for (String key : DECLARED.keySet()) {
            String upper = key.toUpperCase(Locale.ROOT).replace('.', '_');
            if (variable.equals(upper.replace("-", "")) || variable.equals(upper.replace('-', '_'))) {
                return key;
            }
        }
        return null;
    }

    private static Set<String> undeclared(Set<String> keys) {
        Set<String> unknown = new TreeSet<>(keys);
        unknown.removeAll(DECLARED.keySet());
        return unknown;
    }

    /** The orderflow.* keys a YAML file sets, flattened ({@code orderflow.api.rate-limit.writes-per-second}). */
    @SuppressWarnings("unchecked")
    private static Set<String> orderflowKeys(Path file) throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Object document : new Yaml().loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
            if (document instanceof Map<?, ?> map) {
                flatten("", (Map<String, Object>) map, keys);
            }
        }
        keys.removeIf(key -> !key.startsWith("orderflow."));
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Set<String> keys) {
        map.forEach((name, value) -> {
            String key = prefix.isEmpty() ? String.valueOf(name) : prefix + "." + name;
            if (value instanceof Map<?, ?> nested) {
                flatten(key, (Map<String, Object>) nested, keys);
            } else {
                keys.add(key);
            }
        });
    }

    private static List<Path> applicationYamlFiles() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(module -> module.resolve(RESOURCES)).filter(Files::isDirectory)
                    .flatMap(ConfigurationMetadataTest::list)
                    .filter(file -> file.getFileName().toString().matches("application(-[\\w-]+)?\\.ya?ml"))
                    .sorted().toList();
        }
    }

    private static String yamlFilesText() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : applicationYamlFiles()) {
            text.append(Files.readString(file, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("deploy"))) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .filter(file -> file.startsWith(ROOT.resolve("deploy").resolve("kubernetes"))
                            || file.getFileName().toString().equals("compose.yaml"))
                    .sorted().toList();
        }
    }

    static List<Path> mainSources() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(module -> module.resolve(Path.of("src", "main", "java"))).filter(Files::isDirectory)
                    .flatMap(ConfigurationMetadataTest::walk)
                    .filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static Stream<Path> list(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> walk(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
