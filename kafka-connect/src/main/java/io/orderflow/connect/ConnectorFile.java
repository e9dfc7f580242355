package io.orderflow.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * One connector as the repository defines it: a file under {@code connectors/} in Kafka Connect's own format,
 * {@code {"name": ..., "config": {...}}}, the body {@code POST /connectors} takes, so an operator can apply the
 * same file with curl to any Connect cluster.
 *
 * @param name   the connector's name
 * @param config its configuration, values as strings; {@code ${env:...}} placeholders are left to the worker
 * @param source where it was read from
 */
public record ConnectorFile(String name, Map<String, String> config, String source) {

    /** Where the files are on the class path. */
    public static final String LOCATION = "classpath*:connectors/*.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ConnectorFile {
        Objects.requireNonNull(name, "name");
        config = Map.copyOf(config);
    }

    /** The connector's class ({@code connector.class}). */
    public String connectorClass() {
        return config.get("connector.class");
    }

    /** Every connector file on the class path, by name. */
    public static List<ConnectorFile> all() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources(LOCATION);
            List<ConnectorFile> files = new ArrayList<>();
            for (Resource resource : resources) {
                try (InputStream in = resource.getInputStream()) {
                    files.add(parse(in, resource.getFilename()));
                }
            }
            files.sort(Comparator.comparing(ConnectorFile::name));
            return List.copyOf(files);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the connector files (" + LOCATION + ")", e);
        }
    }

    /**
     * Reads one file; refuses a file without a name, without a config object, without {@code connector.class},
     * with a value that is not a string, or whose file name is not the connector's name.
     */
    static ConnectorFile parse(InputStream in, String fileName) throws IOException {
        JsonNode root = JSON.readTree(in);
        String where = "connector file " + fileName;
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        JsonNode name = root.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new IllegalArgumentException(where + " has no \"name\"");
        }
        if (fileName != null && !fileName.equals(name.asText() + ".json")) {
            throw new IllegalArgumentException(where + " must be named " + name.asText() + ".json");
        }
        JsonNode config = root.get("config");
        if (config == null || !config.isObject()) {
            throw new IllegalArgumentException(where + " has no \"config\" object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : config.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException(where + ": \"" + entry.getKey()
                        + "\" must be a string, as Kafka Connect reads every setting");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        }
        if (!values.containsKey("connector.class")) {
            throw new IllegalArgumentException(where + " has no \"connector.class\"");
        }
        return new ConnectorFile(name.asText(), values, fileName);
    }
}
