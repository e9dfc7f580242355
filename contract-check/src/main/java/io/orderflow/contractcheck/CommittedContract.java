package io.orderflow.contractcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One committed event contract: the JSON Schema of one revision of one event, as kept in
 * {@code src/main/resources/contracts/<Event>.v<revision>.schema.json} and shipped on the class path under
 * {@code contracts/}.
 *
 * @param event    the event's simple name, {@code OrderAcceptedEvent}
 * @param type     the event's type name as stored and sent in the {@code axon-message-type} header
 * @param revision the revision, as stored and sent in the {@code axon-message-revision} header
 * @param schema   the JSON Schema
 */
public record CommittedContract(String event, String type, String revision, JsonNode schema) {

    /** Where the schemas are, in a module's sources and on the class path. */
    public static final String DIRECTORY = "contracts";
    /** The file name of every schema: {@code <Event>.v<revision>.schema.json}. */
    public static final Pattern FILE_NAME = Pattern.compile("(?<event>[^/.]+)\\.v(?<revision>[^/]+)\\.schema\\.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What in {@code document} (an event payload as JSON) this contract does not allow, each as
     * {@code Event.path: what is wrong}; empty when the document conforms. Understands the schemas that
     * {@link EventSchemas} writes (types, formats as given, allowed values, required properties), not every
     * JSON Schema keyword.
     */
    public List<String> violations(JsonNode document) {
        List<String> violations = new ArrayList<>();
        SchemaInstances.violations(document, schema, event, violations);
        return violations;
    }

    /** The file name of an event revision's schema. */
    public static String fileName(String event, String revision) {
        return event + ".v" + revision + ".schema.json";
    }

    /**
     * Reads a committed schema.
     *
     * @param fileName its file name, which must agree with the title and revision inside it
     * @throws IllegalArgumentException if the file name and the content disagree, or it is no contract at all
     */
    public static CommittedContract read(String fileName, InputStream content) throws IOException {
        Matcher name = FILE_NAME.matcher(fileName);
        if (!name.matches()) {
            throw new IllegalArgumentException(fileName + " is not named <Event>.v<revision>.schema.json");
        }
        JsonNode schema = JSON.readTree(content);
        CommittedContract contract = new CommittedContract(schema.path("title").asText(),
                schema.path("x-event-type").asText(), schema.path("x-revision").asText(), schema);
        if (!contract.event().equals(name.group("event")) || !contract.revision().equals(name.group("revision"))
                || contract.type().isEmpty()) {
            throw new IllegalArgumentException(fileName + " does not hold the contract its name promises (title "
                    + contract.event() + ", x-revision " + contract.revision() + ", x-event-type " + contract.type()
                    + ")");
        }
        return contract;
    }
}
