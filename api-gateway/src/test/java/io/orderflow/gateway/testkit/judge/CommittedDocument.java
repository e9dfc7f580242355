package io.orderflow.gateway.testkit.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document the application serves and the repository commits under {@code docs/} (the OpenAPI and AsyncAPI
 * documents), so that a change shows as a diff: the served one must equal the committed one, and
 * {@code -D<name>.write=true} writes the served one over it.
 *
 * @param fileName   the file under {@code docs/}, such as {@code openapi.json}
 * @param property   the system property that rewrites it, such as {@code openapi.write}
 * @param testName   the integration test that checks it, named in the failure's instructions
 */
public record CommittedDocument(String fileName, String property, String testName) {

    /** Fails unless {@code served}, written canonically (keys sorted, indented), is the committed file. */
    public void assertServedIsCommitted(JsonNode served) throws IOException {
        String canonical = canonical(served);
        Path written = Path.of("target", fileName);
        Files.writeString(written, canonical, StandardCharsets.UTF_8);
        Path committed = Path.of("..", "docs", fileName);
        if (Boolean.getBoolean(property)) {
            Files.writeString(committed, canonical, StandardCharsets.UTF_8);
        }
        String expected = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
        assertThat(canonical).as("the served document differs from docs/%s. If the change is intended, commit the "
                + "served one (written to api-gateway/%s), or run: ./mvnw verify -pl api-gateway -am -Dit.test=%s "
                + "-D%s=true", fileName, written, testName, property).isEqualTo(expected);
    }

    private static String canonical(JsonNode document) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        Object tree = mapper.treeToValue(document, Object.class);
        return mapper.writeValueAsString(tree) + "\n";
    }
}
