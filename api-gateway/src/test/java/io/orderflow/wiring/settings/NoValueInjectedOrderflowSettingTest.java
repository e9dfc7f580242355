package io.orderflow.wiring.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * No main code of any module takes an {@code orderflow.*} setting through {@code @Value}: each is a component of a
 * validated settings type, which documents it, gives its default once and checks it at start (ADR 0044).
 */
class NoValueInjectedOrderflowSettingTest {

    /** {@code @Value("${orderflow...}")}, also split over lines or with spaces. */
    static final Pattern VALUE_OF_AN_ORDERFLOW_SETTING = Pattern.compile("@Value\\s*\\(\\s*\"\\$\\{\\s*orderflow\\.");

    @Test
    void noMainCodeInjectsAnOrderflowSettingWithValue() throws IOException {
        List<Path> sources = ConfigurationMetadataTest.mainSources();
        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            found.addAll(matches(source.toString(), Files.readString(source, StandardCharsets.UTF_8)));
        }

        assertThat(sources).as("main sources of the modules").hasSizeGreaterThan(300);
        assertThat(found).as("@Value(\"${orderflow...}\") in main code: declare the key in the module's settings type")
                .isEmpty();
    }

    @Test
    void theCheckFindsOne() {
        assertThat(matches("Example.java", "Example(@Value(\"${orderflow.api.command-timeout:10s}\") Duration t)"))
                .containsExactly("Example.java:1");
        assertThat(matches("Example.java", "@Value(\"${spring.application.name}\") String name")).isEmpty();
    }

    private static List<String> matches(String file, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = VALUE_OF_AN_ORDERFLOW_SETTING.matcher(text);
        while (matcher.find()) {
            found.add(file + ":" + (text.substring(0, matcher.start()).split("\n", -1).length));
        }
        return found;
    }
}
