package io.orderflow.gateway.testkit.process;

import io.orderflow.infra.support.ClassDataSharing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged application as the tests launch it: unpacked the way Spring Boot documents for production images
 * ({@code java -Djarmode=tools -jar orderflow.jar extract}), the application's jar with its libraries beside it, and
 * with class-data sharing when the build turns it on ({@link ClassDataSharing}). It runs the same code from the same
 * jars, but the JVM reads plain jars instead of jars nested in a jar and maps the classes it loaded in an earlier run:
 * a start takes about a third less time, and the crash drills start the application many times.
 * {@code ProductionArtifactIT} still starts the executable jars themselves.
 */
final class LaunchableJar {

    /** The development jar runs by itself (it starts its own servers), so it can be trained on a scratch home. */
    private static final String SELF_CONTAINED = "orderflow-dev.jar";
    private static final String STARTED = "Started OrderflowApplication";
    static final List<String> JVM_OPTIONS = List.of("-Xmx768m", "-XX:+UseSerialGC",
            "-Daxoniq.update-checker.disabled=true");

    private final Path jar;
    private final Path launched;

    private LaunchableJar(Path jar, Path launched) {
        this.jar = jar;
        this.launched = launched;
    }

    /** {@code jar} unpacked beside it, once per build of the jar. */
    static synchronized LaunchableJar of(Path jar) {
        String name = jar.getFileName().toString();
        Path destination = jar.resolveSibling("unpacked").resolve(name.replace(".jar", ""));
        Path launched = destination.resolve(name);
        Path stamp = destination.resolve("unpacked-from.txt");
        try {
            String source = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
            if (Files.isRegularFile(launched) && Files.isRegularFile(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(source)) {
                return new LaunchableJar(jar, launched);
            }
            deleteRecursively(destination);
            Files.createDirectories(destination.getParent());
            Path log = destination.resolveSibling(name + ".unpack.log");
            Process unpack = new ProcessBuilder(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                    "--destination", destination.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!unpack.waitFor(2, TimeUnit.MINUTES) || unpack.exitValue() != 0 || !Files.isRegularFile(launched)) {
                unpack.destroyForcibly();
                throw new IllegalStateException("could not unpack " + jar + " into " + destination + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Files.writeString(stamp, source, StandardCharsets.UTF_8);
            return new LaunchableJar(jar, launched);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The class-data sharing of the next launch. When there is no archive yet, the development jar is first trained:
     * started on a scratch home until it is up, then stopped, which records the archive (a start that records is
     * slower, and the crash drills kill most starts before they could write one).
     */
    ClassDataSharing.Launch sharing() {
        synchronized (LaunchableJar.class) {
            ClassDataSharing.Launch launch = ClassDataSharing.forLaunch(launched.toString(), archiveName());
            if (!launch.records() || !jar.getFileName().toString().equals(SELF_CONTAINED)) {
                return launch;
            }
            train(launch);
            return ClassDataSharing.forLaunch(launched.toString(), archiveName());
        }
    }

    /** The command that runs it with {@code sharing}. */
    List<String> command(ClassDataSharing.Launch sharing) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(JVM_OPTIONS);
        command.addAll(sharing.options());
        String archives = System.getProperty(ClassDataSharing.DIRECTORY_PROPERTY, "");
        if (!archives.isBlank()) {
            // The application's own children (its Kafka brokers) share their classes too.
            command.add("-D" + ClassDataSharing.DIRECTORY_PROPERTY + "=" + archives);
        }
        command.addAll(List.of("-jar", launched.toString()));
        return command;
    }

    /** The command that runs {@code jar} as it is shipped: {@code java -jar}, nested jars and all. */
    static List<String> executableJarCommand(Path jar) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private void train(ClassDataSharing.Launch recording) {
        long began = System.nanoTime();
        Path home = launched.getParent().resolveSibling(archiveName() + "-training");
        Path log = home.resolve("app.log");
        Process process = null;
        try {
            deleteRecursively(home);
            Files.createDirectories(home);
            ProcessBuilder builder = new ProcessBuilder(command(recording))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("ORDERFLOW_HOME", home.toString(), "SERVER_PORT", "0",
                    "AXONIQ_UPDATE_CHECKER_DISABLED", "true", "ORDERFLOW_CONNECT_EMBEDDED", "false"));
            process = builder.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (process.isAlive() && System.nanoTime() < deadline
                    && !Files.readString(log, StandardCharsets.UTF_8).contains(STARTED)) {
                Thread.sleep(250);
            }
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            recording.exited(process.exitValue());
            System.out.printf("Class-data sharing: %s trained in %d ms (exit %d; log %s)%n", jar.getFileName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), process.exitValue(), log);
        } catch (IOException e) {
            recording.exited(-1);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
            recording.exited(-1);
            throw new IllegalStateException(e);
        }
    }

    private String archiveName() {
        return jar.getFileName().toString().replace(".jar", "");
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
