package io.orderflow.infra.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class-data sharing (the JVM's AppCDS) for the JVMs that the development run and the tests start again and again:
 * Kafka brokers and the packaged application. A JVM that loads its classes from a shared archive starts about a
 * third faster, which is most of what a crash drill waits for.
 *
 * <p>Off unless the system property {@value #DIRECTORY_PROPERTY} names a directory; the build sets it for the
 * integration tests. The first launch of a given class path records an archive when its JVM exits normally
 * ({@code -XX:ArchiveClassesAtExit}, into a file of its own); {@link Launch#exited(int)} then publishes it under a
 * name derived from the JVM, the class path (with each file's size and time) and the main class, so a rebuilt jar
 * gets a new archive rather than a stale one. A recording whose launcher died first (the brokers of a killed
 * application) is adopted by a later launch once it is complete. Later launches map the archive
 * ({@code -XX:SharedArchiveFile}); if the JVM finds it unusable anyway, it says so in its log and starts without it. A
 * class path that holds a directory cannot be archived (the JVM refuses to), so such a launch gets no option at all.
 */
public final class ClassDataSharing {

    /** The directory holding the archives; without it, no launch uses class-data sharing. */
    public static final String DIRECTORY_PROPERTY = "orderflow.cds.directory";

    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);
    private static final String SUFFIX = ".jsa";
    private static final String RECORDING = ".recording";
    /** HotSpot's mark for a dynamic archive, the first four bytes of the file (in the machine's byte order). */
    private static final int DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;
    private static final long ABANDONED_AFTER_MILLIS = 10 * 60_000;
    /**
     * Archives this JVM has a recording of under way, with when it began: a second launch meanwhile runs without,
     * rather than record too, unless the first has gone on for long (a cluster that lives as long as a test JVM).
     */
    private static final Map<Path, Long> RECORDING_HERE = new ConcurrentHashMap<>();
    private static final long LONG_RECORDING_NANOS = TimeUnit.MINUTES.toNanos(2);

    private ClassDataSharing() {
    }

    /** What a launch of {@code mainClass} on {@code classPath} adds, per the {@value #DIRECTORY_PROPERTY} setting. */
    public static Launch forLaunch(String classPath, String mainClass) {
        String directory = System.getProperty(DIRECTORY_PROPERTY, "");
        if (directory.isBlank()) {
            return Launch.NONE;
        }
        return in(Path.of(directory), classPath, mainClass);
    }

    /** What a launch of {@code mainClass} on {@code classPath} adds, with its archive kept in {@code directory}. */
    public static Launch in(Path directory, String classPath, String mainClass) {
        List<Path> entries = entries(classPath);
        if (entries.isEmpty() || entries.stream().anyMatch(Files::isDirectory)) {
            return Launch.NONE;
        }
        Path archive = directory.toAbsolutePath().resolve(simpleName(mainClass) + "-" + key(entries, mainClass)
                + SUFFIX);
        if (Files.isRegularFile(archive) || adoptOrphan(archive)) {
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive), null, null);
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            log.warn("No class-data sharing: cannot create {}: {}", directory, e.toString());
            return Launch.NONE;
        }
        long now = System.nanoTime();
        // Recording makes a JVM slower; one at a time is enough. The claim is one atomic step, so two launches at
        // once never both record; a claim older than a long recording is taken over.
        long claimed = RECORDING_HERE.merge(archive, now,
                (began, mine) -> mine - began < LONG_RECORDING_NANOS ? began : mine);
        if (claimed != now) {
            return Launch.NONE;
        }
        Path recording = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + RECORDING);
        return new Launch(List.of("-XX:ArchiveClassesAtExit=" + recording), recording, archive);
    }

    /**
     * A recording whose launcher could not publish it: a broker of an application that was killed exits by itself
     * and writes its archive, but its parent is gone. HotSpot writes an archive's header, which starts with its
     * magic number, after everything else, so a recording that starts with it is complete and becomes the archive.
     * A recording without it is one being written, or the remains of a JVM killed while writing; those are removed
     * once they are old.
     */
    private static boolean adoptOrphan(Path archive) {
        String prefix = archive.getFileName() + ".";
        long abandoned = System.currentTimeMillis() - ABANDONED_AFTER_MILLIS;
        try (Stream<Path> files = Files.list(archive.getParent())) {
            for (Path recording : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(RECORDING)).toList()) {
                if (isArchive(recording)) {
                    if (Files.isRegularFile(archive)) {
                        Files.deleteIfExists(recording);
                    } else {
                        Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                        log.info("Class-data sharing archive adopted (recorded by a process whose launcher ended "
                                + "first): {}", archive);
                    }
                } else if (Files.getLastModifiedTime(recording).toMillis() < abandoned) {
                    Files.deleteIfExists(recording);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return Files.isRegularFile(archive);
    }

    private static boolean isArchive(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(4);
            return header.length == 4 && ByteBuffer.wrap(header).order(ByteOrder.nativeOrder()).getInt()
                    == DYNAMIC_ARCHIVE_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The class path's entries, with the jars that a jar's manifest adds ({@code Class-Path}, as an unpacked Spring
     * Boot jar has): the JVM archives those too, and refuses a directory among them.
     */
    static List<Path> entries(String classPath) {
        List<Path> entries = new ArrayList<>();
        if (classPath == null) {
            return entries;
        }
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            entries.add(path);
            manifestClassPath(path).forEach(entries::add);
        }
        return entries;
    }

    private static Stream<Path> manifestClassPath(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return Stream.empty();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            String value = Optional.ofNullable(file.getManifest())
                    .map(manifest -> manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH))
                    .orElse("");
            return Stream.of(value.trim().split("\\s+"))
                    .filter(entry -> !entry.isBlank())
                    .map(entry -> jar.resolveSibling(entry).normalize())
                    .toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static String key(List<Path> entries, String mainClass) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|"
                    + mainClass);
            for (Path entry : entries) {
                update(digest, "|" + entry);
                if (Files.isRegularFile(entry)) {
                    update(digest, ":" + Files.size(entry) + ":" + Files.getLastModifiedTime(entry).toMillis());
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String simpleName(String mainClass) {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** One launch: the JVM options to add, and whether it records an archive to publish when it has exited. */
    public static final class Launch {

        /** Nothing added: class-data sharing is off for this launch. */
        public static final Launch NONE = new Launch(List.of(), null, null);

        private final List<String> options;
        private final Path recording;
        private final Path archive;

        Launch(List<String> options, Path recording, Path archive) {
            this.options = options;
            this.recording = recording;
            this.archive = archive;
        }

        public List<String> options() {
            return options;
        }

        /** Whether this launch records an archive (no usable one existed yet). */
        public boolean records() {
            return recording != null;
        }

        /**
         * Called once the process has ended. A JVM that exited normally (status 0, or 143 after SIGTERM) has written
         * its archive: it becomes the one later launches use. A JVM killed with SIGKILL wrote nothing, or part of a
         * file, which is removed.
         */
        public void exited(int status) {
            if (recording == null) {
                return;
            }
            RECORDING_HERE.remove(archive);
            try {
                if ((status == 0 || status == 143) && isArchive(recording)) {
                    Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                    log.info("Class-data sharing archive recorded: {} ({} MB); later starts load their classes "
                            + "from it", archive, Files.size(archive) >> 20);
                } else {
                    Files.deleteIfExists(recording);
                }
            } catch (IOException e) {
                log.warn("Could not publish the class-data sharing archive {}: {}", recording, e.toString());
            }
        }
    }
}
