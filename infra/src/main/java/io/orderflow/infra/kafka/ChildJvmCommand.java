package io.orderflow.infra.kafka;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * Builds the command line that runs a main class of this application in a child JVM with the same classes.
 *
 * <p>From Maven or an IDE the class path is a list of directories and jars: the child gets the same list. From a
 * Spring Boot executable jar ({@code java -jar app.jar}) the class path is that one jar, whose own classes and
 * libraries sit in {@code BOOT-INF/} where a plain class loader cannot see them; the child then runs Boot's
 * {@code PropertiesLauncher}, which reads {@code BOOT-INF/} and starts the class named by {@code loader.main}. The
 * same holds for an unpacked Boot jar (a directory holding {@code BOOT-INF/}).
 */
public final class ChildJvmCommand {

    /** Spring Boot 3.2 and later. */
    static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    /** Spring Boot before 3.2. */
    static final String LEGACY_PROPERTIES_LAUNCHER = "org.springframework.boot.loader.PropertiesLauncher";

    private ChildJvmCommand() {
    }

    /** The command that runs {@code mainClass} with {@code args} on this JVM's java and class path. */
    public static List<String> forCurrentJvm(String mainClass, List<String> jvmOptions, List<String> args) {
        return build(javaExecutable(), System.getProperty("java.class.path"), mainClass, jvmOptions, args);
    }

    /**
     * The command that runs {@code mainClass} on {@code classPath}: a plain {@code -cp} launch, or a launch through
     * Boot's PropertiesLauncher when the class path is a single Boot executable jar or unpacked Boot jar.
     */
    static List<String> build(String java, String classPath, String mainClass, List<String> jvmOptions,
                              List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        Optional<String> bootLauncher = springBootLauncherOf(classPath);
        if (bootLauncher.isPresent()) {
            command.add("-cp");
            command.add(absolute(classPath));
            command.add("-Dloader.main=" + mainClass);
            command.add(bootLauncher.get());
        } else {
            command.add("-cp");
            // The child runs in its own working directory, so relative entries must be resolved here.
            command.add(Arrays.stream(classPath.split(File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(ChildJvmCommand::absolute)
                    .collect(Collectors.joining(File.pathSeparator)));
            command.add(mainClass);
        }
        command.addAll(args);
        return command;
    }

    /**
     * The PropertiesLauncher class to use if {@code classPath} is a single Spring Boot executable jar or unpacked
     * jar directory, chosen by which loader the archive carries.
     */
    static Optional<String> springBootLauncherOf(String classPath) {
        if (classPath == null || classPath.isBlank() || classPath.contains(File.pathSeparator)) {
            return Optional.empty();
        }
        Path entry = Path.of(classPath);
        if (Files.isDirectory(entry)) {
            if (!Files.isDirectory(entry.resolve("BOOT-INF"))) {
                return Optional.empty();
            }
            return Optional.of(Files.exists(entry.resolve(classFile(LEGACY_PROPERTIES_LAUNCHER)))
                    && !Files.exists(entry.resolve(classFile(PROPERTIES_LAUNCHER)))
                    ? LEGACY_PROPERTIES_LAUNCHER : PROPERTIES_LAUNCHER);
        }
        if (!Files.isRegularFile(entry)) {
            return Optional.empty();
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            if (jar.getEntry("BOOT-INF/") == null && jar.stream().noneMatch(e -> e.getName().startsWith("BOOT-INF/"))) {
                return Optional.empty();
            }
            return Optional.of(jar.getEntry(classFile(LEGACY_PROPERTIES_LAUNCHER)) != null
                    && jar.getEntry(classFile(PROPERTIES_LAUNCHER)) == null
                    ? LEGACY_PROPERTIES_LAUNCHER : PROPERTIES_LAUNCHER);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** This JVM's java executable: {@code java.home/bin/java}, else the command that started this process. */
    public static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }
}
