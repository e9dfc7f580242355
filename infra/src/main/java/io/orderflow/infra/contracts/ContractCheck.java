package io.orderflow.infra.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.axonframework.serialization.upcasting.SingleEntryUpcaster;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Compares the event classes of a module with the JSON Schemas committed for them, so that a change to a stored
 * contract never slips through unnoticed. A change is allowed in one of two ways: it is compatible (a new optional
 * field, a field no longer required), and the committed schema is updated; or the event's {@code @Revision} is
 * raised, the new revision's schema is committed, and an upcaster turns the previous revision into it. Everything
 * else (a removed or renamed field, a changed type, a newly required field) is reported with what to do.
 */
public final class ContractCheck {

    /** Set to {@code true} to (re)write the schemas that the rules allow to be written. */
    public static final String WRITE_PROPERTY = "contracts.write";
    private static final Pattern FILE_NAME = Pattern.compile("(.+)\\.v(.+)\\.schema\\.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path contractsDirectory;
    private final String module;
    private final List<EventUpcaster> upcasters;

    /**
     * @param contractsDirectory where the module keeps its schemas, {@code src/main/resources/contracts}
     * @param module             the module's name, for the instructions in the findings
     */
    public ContractCheck(Path contractsDirectory, String module, Collection<? extends EventUpcaster> upcasters) {
        this.contractsDirectory = contractsDirectory;
        this.module = module;
        this.upcasters = List.copyOf(upcasters);
    }

    /** Every {@code @Revision} class below {@code basePackage}: the events a module publishes. */
    public static List<Class<?>> eventsIn(String basePackage) {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Revision.class));
        return scanner.findCandidateComponents(basePackage).stream()
                .map(definition -> load(definition.getBeanClassName())).sorted((a, b) -> a.getName()
                        .compareTo(b.getName())).<Class<?>>map(c -> c).toList();
    }

    /** Every event upcaster below {@code basePackage}, made with its no-argument constructor. */
    public static List<EventUpcaster> upcastersIn(String basePackage) {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(EventUpcaster.class));
        return scanner.findCandidateComponents(basePackage).stream().map(definition -> {
            try {
                var constructor = load(definition.getBeanClassName()).getDeclaredConstructor();
                constructor.setAccessible(true);
                return (EventUpcaster) constructor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("upcaster " + definition.getBeanClassName()
                        + " needs a no-argument constructor for the contract check", e);
            }
        }).toList();
    }

    /** Checks every event; with {@code write}, writes the schemas that the rules allow. Answers the findings. */
    public List<String> verify(Collection<Class<?>> events, boolean write) {
        List<String> findings = new ArrayList<>();
        for (Class<?> event : events) {
            findings.addAll(verify(event, write));
        }
        return findings;
    }

    List<String> verify(Class<?> event, boolean write) {
        List<String> findings = new ArrayList<>();
        ObjectNode current = EventSchemas.schemaFor(event);
        String revision = current.get("x-revision").asText();
        String name = event.getSimpleName();
        Path file = contractsDirectory.resolve(name + ".v" + revision + ".schema.json");
        Map<String, Path> committed = committedRevisions(name);

        if (committed.containsKey(revision)) {
            JsonNode previous = read(file);
            List<String> breaking = new ArrayList<>();
            List<String> compatible = new ArrayList<>();
            compare(name, "", previous, current, breaking, compatible);
            if (!breaking.isEmpty()) {
                findings.add(name + " (revision " + revision + ") changed incompatibly: " + String.join("; ", breaking)
                        + ". Events of this revision are already stored and on Kafka, so either keep the field "
                        + "compatible, or raise @Revision(\"" + next(revision) + "\") on " + event.getName()
                        + ", commit its schema (./mvnw -pl " + module + " test -D" + WRITE_PROPERTY + "=true writes"
                        + " contracts/" + name + ".v" + next(revision) + ".schema.json) and add an upcaster from "
                        + "revision " + revision + " with a test.");
            } else if (!compatible.isEmpty()) {
                if (write) {
                    write(file, current);
                } else {
                    findings.add(name + " (revision " + revision + ") changed compatibly (" + String.join("; ",
                            compatible) + "); update its committed schema: ./mvnw -pl " + module + " test -D"
                            + WRITE_PROPERTY + "=true");
                }
            }
        } else if (write) {
            write(file, current);
        } else {
            findings.add("no schema is committed for " + name + " revision " + revision + "; write it with "
                    + "./mvnw -pl " + module + " test -D" + WRITE_PROPERTY + "=true and commit contracts/"
                    + file.getFileName());
        }
        for (String older : committed.keySet()) {
            if (!older.equals(revision) && !upcasterExists(event.getName(), older)) {
                findings.add(name + " is at revision " + revision + " but no upcaster handles revision " + older
                        + ", which is stored and on Kafka: add a SingleEventUpcaster from " + older + " with a test");
            }
        }
        return findings;
    }

    private void compare(String event, String path, JsonNode before, JsonNode after, List<String> breaking,
                         List<String> compatible) {
        String beforeType = before.path("type").asText();
        String afterType = after.path("type").asText();
        if (!beforeType.equals(afterType) || !before.path("format").equals(after.path("format"))) {
            breaking.add(event + path + ": type " + describe(before) + " -> " + describe(after));
            return;
        }
        if (!before.path("enum").equals(after.path("enum"))) {
            (containsAll(after.path("enum"), before.path("enum")) ? compatible : breaking)
                    .add(event + path + ": allowed values " + before.path("enum") + " -> " + after.path("enum"));
        }
        if ("array".equals(beforeType)) {
            compare(event, path + "[]", before.path("items"), after.path("items"), breaking, compatible);
            return;
        }
        if (!"object".equals(beforeType)) {
            return;
        }
        JsonNode beforeProperties = before.path("properties");
        JsonNode afterProperties = after.path("properties");
        for (Iterator<String> names = beforeProperties.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!afterProperties.has(field)) {
                breaking.add(event + path + "." + field + ": removed or renamed");
            } else {
                compare(event, path + "." + field, beforeProperties.get(field), afterProperties.get(field),
                        breaking, compatible);
            }
        }
        for (Iterator<String> names = afterProperties.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!beforeProperties.has(field)) {
                (isRequired(after, field) ? breaking : compatible).add(event + path + "." + field + ": added"
                        + (isRequired(after, field) ? " as required" : " as optional"));
            } else if (isRequired(after, field) && !isRequired(before, field)) {
                breaking.add(event + path + "." + field + ": newly required");
            } else if (!isRequired(after, field) && isRequired(before, field)) {
                compatible.add(event + path + "." + field + ": no longer required");
            }
        }
    }

    private boolean upcasterExists(String eventType, String revision) {
        IntermediateEventRepresentation probe = new InitialEventRepresentation(new GenericDomainEventEntry<>(
                "Probe", "probe", 0, "probe", Instant.EPOCH, eventType, revision, "{}", "{}"),
                JacksonSerializer.defaultSerializer());
        for (EventUpcaster upcaster : upcasters) {
            if (upcaster instanceof SingleEventUpcaster single && canUpcast(single, probe)) {
                return true;
            }
        }
        return false;
    }

    private static boolean canUpcast(SingleEventUpcaster upcaster, IntermediateEventRepresentation probe) {
        try {
            // Declared generically in SingleEntryUpcaster, so erased to canUpcast(Object).
            Method canUpcast = SingleEntryUpcaster.class.getDeclaredMethod("canUpcast", Object.class);
            canUpcast.setAccessible(true);
            return (boolean) canUpcast.invoke(upcaster, probe);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask " + upcaster + " what it upcasts", e);
        }
    }

    private Map<String, Path> committedRevisions(String eventName) {
        Map<String, Path> revisions = new TreeMap<>();
        if (!Files.isDirectory(contractsDirectory)) {
            return revisions;
        }
        try (Stream<Path> files = Files.list(contractsDirectory)) {
            files.forEach(file -> {
                Matcher matcher = FILE_NAME.matcher(file.getFileName().toString());
                if (matcher.matches() && matcher.group(1).equals(eventName)) {
                    revisions.put(matcher.group(2), file);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return revisions;
    }

    private static boolean isRequired(JsonNode schema, String field) {
        for (JsonNode required : schema.path("required")) {
            if (required.asText().equals(field)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAll(JsonNode values, JsonNode subset) {
        for (JsonNode value : subset) {
            boolean found = false;
            for (JsonNode candidate : values) {
                found |= candidate.equals(value);
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonNode schema) {
        String format = schema.path("format").asText();
        return schema.path("type").asText() + (format.isEmpty() ? "" : " (" + format + ")");
    }

    private static String next(String revision) {
        try {
            return Integer.toString(Integer.parseInt(revision) + 1);
        } catch (NumberFormatException e) {
            return revision + "-next";
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, JsonNode schema) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(schema) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
