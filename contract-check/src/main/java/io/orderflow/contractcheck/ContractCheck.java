package io.orderflow.contractcheck;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.orderflow.contractcheck.Finding.Kind;
import org.axonframework.serialization.upcasting.event.EventUpcaster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares a module's event classes with the JSON Schemas committed for them, and its upcasters with the revisions
 * committed before the current one, so that a change to a stored contract never slips through (ADR 0005).
 *
 * <p>The rules, for each event class (a record annotated {@code @Revision}):
 * <ol>
 *     <li>The schema of its current revision is committed as {@code contracts/<Event>.v<revision>.schema.json}.</li>
 *     <li>The class matches that schema. Within a revision, the only allowed difference is a purely additive
 *     optional ({@code @Nullable}) property, and even that needs the committed schema rewritten, so that the
 *     contract says what is sent. Every other difference (a removed or renamed property, a changed type or format,
 *     changed allowed values, a property newly required or no longer required) needs a new revision.</li>
 *     <li>Every older revision that is committed (and so may be stored and on Kafka) is taken to the current revision
 *     by the upcasters, and what comes out satisfies the current schema. The check proves it by running a sample
 *     event made from the old schema through the upcasters, as Axon does.</li>
 *     <li>A revision never goes back, an event type keeps its name, and a committed schema belongs to an event that
 *     still exists.</li>
 * </ol>
 *
 * <p>With {@code -Dcontracts.write=true} ({@link #WRITE_PROPERTY}) the check also writes what the rules allow to
 * be written: the schema of a revision that has none, and the rewritten schema of a compatible change. It never
 * overwrites a committed schema with an incompatible one.
 *
 * <p>Typical use, in each event-owning module's {@code EventContractsTest}:
 * <pre>{@code
 * List<Finding> findings = ContractCheck.verify(Path.of("src/main/resources/contracts"),
 *         ContractCheck.eventsIn("io.orderflow.order.api"));
 * assertTrue(findings.isEmpty(), () -> ContractCheck.report(findings));
 * }</pre>
 *
 * <p>An instance remembers the upcasters it scanned; it is meant for one test at a time, not for sharing between
 * threads.
 */
public final class ContractCheck {

    /** The system property that turns on writing the schemas the rules allow. */
    public static final String WRITE_PROPERTY = "contracts.write";

    private static final ObjectMapper JSON = new ObjectMapper();
    // Fixed line ends, so that a schema written on any machine is byte-for-byte the committed one.
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));
    private static final Comparator<String> REVISION_ORDER = ContractCheck::compareRevisions;

    private final Path directory;
    private final String module;
    private final List<EventUpcaster> upcasters;
    private final boolean write;
    // Upcasters are scanned lazily, once per context package, and only for events that have older revisions.
    private final Set<String> scannedPackages = new LinkedHashSet<>();
    private final List<EventUpcaster> scannedUpcasters = new ArrayList<>();
    private final List<Finding> scanFindings = new ArrayList<>();

    /**
     * A check of the schemas in {@code directory} (a module's {@code src/main/resources/contracts}), with the
     * upcasters found beside the events and writing as {@link #WRITE_PROPERTY} says.
     */
    public ContractCheck(Path directory) {
        this(directory, moduleOf(directory), null, Boolean.getBoolean(WRITE_PROPERTY));
    }

    private ContractCheck(Path directory, String module, List<EventUpcaster> upcasters, boolean write) {
        this.directory = directory;
        this.module = module;
        this.upcasters = upcasters;
        this.write = write;
    }

    /**
     * Checks {@code events} against the schemas in {@code contractsDirectory}: the whole check with its defaults.
     * Upcasters are found by scanning each event's context package (the package above {@code api}) for
     * implementations of Axon's {@code EventUpcaster}, made with their no-argument constructor.
     *
     * @return the findings; empty when every contract holds
     */
    public static List<Finding> verify(Path contractsDirectory, Collection<Class<?>> events) {
        return new ContractCheck(contractsDirectory).verify(events);
    }

    /**
     * The events below {@code apiPackage}: the records annotated {@code @Revision}, and the records named
     * {@code ...Event} without it (which the check reports, because an event without a revision escapes it).
     * Classes in test output are left out.
     */
    public static List<Class<?>> eventsIn(String apiPackage) {
        return Classpath.classesIn(apiPackage, classLoader(), false).stream()
                .filter(type -> EventSchemas.isEvent(type) || type.isRecord() && type.getSimpleName().endsWith("Event"))
                .toList();
    }

    /** The same check for another module name in its instructions; by default the directory tells it. */
    public ContractCheck withModule(String moduleName) {
        return new ContractCheck(directory, moduleName, upcasters, write);
    }

    /** The same check with exactly these upcasters, instead of those found by scanning. */
    public ContractCheck withUpcasters(Collection<? extends EventUpcaster> eventUpcasters) {
        return new ContractCheck(directory, module, List.copyOf(eventUpcasters), write);
    }

    /** The same check, writing (or not) the schemas the rules allow, whatever {@link #WRITE_PROPERTY} says. */
    public ContractCheck withWrite(boolean writeSchemas) {
        return new ContractCheck(directory, module, upcasters, writeSchemas);
    }

    /** Checks every event, and every committed schema for an event that is gone. */
    public List<Finding> verify(Collection<Class<?>> events) {
        List<Finding> findings = new ArrayList<>();
        Map<String, List<Class<?>>> byName = events.stream().distinct()
                .collect(Collectors.groupingBy(Class::getSimpleName, TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Class<?>>> named : byName.entrySet()) {
            List<Class<?>> classes = named.getValue();
            if (classes.size() > 1) {
                findings.add(new Finding(Kind.DUPLICATE_NAME, named.getKey(), "Several events are named "
                        + named.getKey() + " (" + classes.stream().map(Class::getName).collect(Collectors.joining(", "))
                        + "), so their contracts would share the file " + contract(named.getKey(), "<revision>")
                        + ". Give each event a distinct name."));
            } else if (!EventSchemas.isEvent(classes.get(0))) {
                findings.add(missingRevision(classes.get(0)));
            } else {
                findings.addAll(verify(classes.get(0)));
            }
        }
        findings.addAll(orphans(byName.keySet()));
        findings.addAll(scanFindings);
        return findings;
    }

    /** The findings as one text for a test failure: how many, then each with its kind. */
    public static String report(Collection<Finding> findings) {
        StringBuilder report = new StringBuilder().append(findings.size())
                .append(findings.size() == 1 ? " problem" : " problems")
                .append(" with the event contracts (ADR 0005, docs/adr/0005-event-contracts-and-evolution.md):");
        for (Finding finding : findings) {
            report.append("\n\n[").append(finding.kind()).append("] ").append(finding.message());
        }
        return report.toString();
    }

    private List<Finding> verify(Class<?> event) {
        String name = event.getSimpleName();
        String revision = EventSchemas.revisionOf(event);
        JsonNode current;
        try {
            current = EventSchemas.schemaFor(event);
        } catch (IllegalArgumentException e) {
            return List.of(new Finding(Kind.UNSUPPORTED_TYPE, name, name + " cannot be described as a contract: "
                    + e.getMessage()));
        }
        List<Finding> findings = new ArrayList<>();
        TreeMap<String, Path> committed = committedRevisions(name);
        Path file = directory.resolve(CommittedContract.fileName(name, revision));

        if (committed.containsKey(revision)) {
            JsonNode stored = read(file);
            String storedType = stored.path("x-event-type").asText();
            if (!storedType.equals(event.getName())) {
                findings.add(new Finding(Kind.TYPE_RENAMED, name, name + " revision " + revision + " is committed"
                        + " as type " + storedType + ", but the class is now " + event.getName() + ". Stored events"
                        + " and Kafka records name the old type, which Axon would no longer find. Move the class back,"
                        + " or raise @Revision to " + next(revision) + ", commit " + contract(name, next(revision))
                        + " (" + writeCommand() + " writes it) and add an upcaster that renames the type."));
            }
            findings.addAll(compare(event, revision, file, stored, current));
        } else if (write) {
            write(file, current, "new revision");
        } else {
            findings.add(missingSchema(name, revision, committed.headMap(revision).keySet()));
        }

        Set<String> newer = committed.tailMap(revision, false).keySet();
        if (!newer.isEmpty()) {
            String highest = committed.lastKey();
            findings.add(new Finding(Kind.REVISION_LOWERED, name, name + " is at revision " + revision + ", but "
                    + contract(name, highest) + " is committed. A revision never goes back: events of revision "
                    + highest + " may already be stored and on Kafka. Restore @Revision(\"" + highest + "\") on "
                    + event.getName() + ", or raise it to " + next(highest) + "."));
        }
        // The upcasters are held to the committed contract of the current revision when there is one: a class that
        // drifted from it is reported above, and need not be reported again through every upcast.
        JsonNode target = committed.containsKey(revision) ? read(file) : current;
        for (Map.Entry<String, Path> older : committed.headMap(revision).entrySet()) {
            findings.addAll(upcastFrom(event, older.getKey(), older.getValue(), revision, target));
        }
        return findings;
    }

    private List<Finding> compare(Class<?> event, String revision, Path file, JsonNode stored, JsonNode current) {
        String name = event.getSimpleName();
        SchemaDiff diff = SchemaDiff.between(name, stored, current);
        if (!diff.incompatible().isEmpty()) {
            return List.of(new Finding(Kind.INCOMPATIBLE_CHANGE, name, name + " changed incompatibly within revision "
                    + revision + " (committed as " + contract(name, revision) + "):" + bullets(diff.incompatible())
                    + "\nRevision-" + revision + " events are already stored and on Kafka, and consumers rely on "
                    + "this contract. Either keep the " + (diff.incompatible().size() == 1 ? "field" : "fields")
                    + " compatible, or raise @Revision to " + next(revision) + " on " + event.getName()
                    + ", commit " + contract(name, next(revision)) + " (run " + writeCommand() + " to write it)"
                    + " and add an upcaster from revision " + revision + "."));
        }
        if (!diff.compatible().isEmpty()) {
            if (write) {
                write(file, current, String.join("; ", diff.compatible()));
            } else {
                return List.of(new Finding(Kind.SCHEMA_OUT_OF_DATE, name, name + " gained optional fields within "
                        + "revision " + revision + ":" + bullets(diff.compatible()) + "\nThat is compatible (old "
                        + "events lack them, consumers ignore fields they do not know), but the committed contract "
                        + "must say what is sent: run " + writeCommand() + " and commit the rewritten "
                        + contract(name, revision) + "."));
            }
        }
        return List.of();
    }

    private List<Finding> upcastFrom(Class<?> event, String older, Path olderFile, String revision, JsonNode target) {
        String name = event.getSimpleName();
        JsonNode olderSchema = read(olderFile);
        String storedType = olderSchema.path("x-event-type").asText(event.getName());
        UpcastProbe.Outcome outcome;
        try {
            outcome = UpcastProbe.run(upcasters(event), storedType, older,
                    SchemaInstances.sample(olderSchema));
        } catch (RuntimeException e) {
            return List.of(new Finding(Kind.UPCASTER_FAILED, name, "Upcasting a sample revision-" + older + " "
                    + name + " (made from " + contract(name, older) + ") failed: " + e
                    + "\nThe upcasters must handle every event of revision " + older + " that the contract allows."));
        }
        if (outcome.events() == 0) {
            // Dropping an old revision on read is a deliberate way to retire it; nothing of it reaches a handler.
            return List.of();
        }
        boolean reachedCurrent = outcome.type().getName().equals(event.getName())
                && outcome.type().getRevision().equals(revision);
        if (!reachedCurrent) {
            boolean moved = !outcome.type().getRevision().equals(older) || !outcome.type().getName().equals(storedType);
            return List.of(new Finding(Kind.MISSING_UPCASTER, name, name + " is at revision " + revision + ", but "
                    + (moved ? "the upcasters take revision " + older + " only as far as revision "
                    + outcome.type().getRevision() + " of " + outcome.type().getName()
                    : "no upcaster takes revision " + older + " to it")
                    + ". Revision " + older + " is committed (" + contract(name, older) + "), so its events are "
                    + "stored and on Kafka. Add an upcaster from revision " + (moved ? outcome.type().getRevision()
                    : older) + " (an Axon SingleEventUpcaster for " + storedType + ", in " + contextPackage(event)
                    + ") with a test."));
        }
        List<String> violations = new ArrayList<>();
        SchemaInstances.violations(outcome.payload(), target, name, violations);
        if (!violations.isEmpty()) {
            return List.of(new Finding(Kind.INVALID_UPCAST, name, "The upcasters turn a revision-" + older + " "
                    + name + " into revision " + revision + ", but the result breaks revision " + revision
                    + "'s contract:" + bullets(violations) + "\nMake the upcaster fill every field that revision "
                    + revision + " requires, with the type it has there."));
        }
        return List.of();
    }

    private Finding missingSchema(String name, String revision, Set<String> olderRevisions) {
        if (olderRevisions.isEmpty()) {
            return new Finding(Kind.MISSING_SCHEMA, name, name + " revision " + revision + " has no committed "
                    + "contract. Run " + writeCommand() + " to write " + contract(name, revision) + ", review it and "
                    + "commit it.");
        }
        String previous = List.copyOf(olderRevisions).get(olderRevisions.size() - 1);
        return new Finding(Kind.MISSING_SCHEMA, name, name + " was raised to revision " + revision + ", but "
                + contract(name, revision) + " is not committed. Run " + writeCommand() + " to write it, commit it, "
                + "and make sure an upcaster takes revision " + previous + " to revision " + revision + ".");
    }

    private Finding missingRevision(Class<?> type) {
        String name = type.getSimpleName();
        return new Finding(Kind.MISSING_REVISION, name, type.getName() + " looks like an event (a record named "
                + "...Event) but has no @Revision, so its contract is not checked. Every event is a stored contract:"
                + " annotate it @Revision(\"1\"), run " + writeCommand() + " and commit " + contract(name, "1")
                + ".");
    }

    private List<Finding> orphans(Set<String> eventNames) {
        Map<String, Set<String>> orphaned = new TreeMap<>();
        for (Path file : contractFiles()) {
            Matcher matcher = CommittedContract.FILE_NAME.matcher(file.getFileName().toString());
            if (matcher.matches() && !eventNames.contains(matcher.group("event"))) {
                orphaned.computeIfAbsent(matcher.group("event"), e -> new TreeSet<>())
                        .add(CommittedContract.DIRECTORY + "/" + file.getFileName());
            }
        }
        List<Finding> findings = new ArrayList<>();
        orphaned.forEach((name, files) -> findings.add(new Finding(Kind.ORPHANED_CONTRACT, name, String.join(", ",
                files) + (files.size() == 1 ? " is" : " are") + " committed, but there is no event class " + name
                + " any more. Its stored events can no longer be read. Restore the class (moving or renaming it is "
                + "an incompatible change); if the event is retired on purpose, delete its schema files.")));
        return findings;
    }

    private List<EventUpcaster> upcasters(Class<?> event) {
        if (upcasters != null) {
            return upcasters;
        }
        String contextPackage = contextPackage(event);
        if (scannedPackages.add(contextPackage)) {
            for (Class<?> type : Classpath.classesIn(contextPackage, classLoader(), false)) {
                if (EventUpcaster.class.isAssignableFrom(type) && !type.isInterface()
                        && !Modifier.isAbstract(type.getModifiers())) {
                    instantiate(type);
                }
            }
        }
        return scannedUpcasters;
    }

    private void instantiate(Class<?> upcasterType) {
        try {
            Constructor<?> constructor = upcasterType.getDeclaredConstructor();
            constructor.setAccessible(true);
            scannedUpcasters.add((EventUpcaster) constructor.newInstance());
        } catch (ReflectiveOperationException | RuntimeException e) {
            scanFindings.add(new Finding(Kind.UNCHECKABLE_UPCASTER, upcasterType.getSimpleName(),
                    upcasterType.getName() + " cannot be created by the contract check (" + e + "), so the revisions"
                            + " it upcasts cannot be verified. Give it a no-argument constructor, or give the check "
                            + "its instance: new ContractCheck(directory).withUpcasters(...)."));
        }
    }

    private TreeMap<String, Path> committedRevisions(String eventName) {
        TreeMap<String, Path> revisions = new TreeMap<>(REVISION_ORDER);
        for (Path file : contractFiles()) {
            Matcher matcher = CommittedContract.FILE_NAME.matcher(file.getFileName().toString());
            if (matcher.matches() && matcher.group("event").equals(eventName)) {
                revisions.put(matcher.group("revision"), file);
            }
        }
        return revisions;
    }

    private List<Path> contractFiles() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private String writeCommand() {
        return "./mvnw -pl " + (module == null ? "<module>" : module) + " -am test -D" + WRITE_PROPERTY + "=true";
    }

    private static String contract(String event, String revision) {
        return CommittedContract.DIRECTORY + "/" + CommittedContract.fileName(event, revision);
    }

    private static String bullets(List<String> lines) {
        return lines.stream().map(line -> "\n  - " + line).collect(Collectors.joining());
    }

    private static String contextPackage(Class<?> event) {
        String eventPackage = event.getPackageName();
        return eventPackage.endsWith(".api") ? eventPackage.substring(0, eventPackage.length() - 4) : eventPackage;
    }

    private static String next(String revision) {
        try {
            return Integer.toString(Integer.parseInt(revision) + 1);
        } catch (NumberFormatException e) {
            return "the next revision after " + revision;
        }
    }

    private static int compareRevisions(String a, String b) {
        try {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** The module's name, when the directory is the usual {@code <module>/src/main/resources/contracts}. */
    private static String moduleOf(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (absolute.endsWith(Path.of("src", "main", "resources", CommittedContract.DIRECTORY))
                && absolute.getNameCount() > 4) {
            return absolute.getParent().getParent().getParent().getParent().getFileName().toString();
        }
        return null;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the committed contract " + file, e);
        }
    }

    private static void write(Path file, JsonNode schema, String reason) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, PRETTY.writeValueAsString(schema) + "\n");
            // Seen in the module's target/surefire-reports/*-output.txt, and as a new or changed file in git.
            System.out.println("[contracts] wrote " + file + " (" + reason + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ContractCheck.class.getClassLoader();
    }
}
