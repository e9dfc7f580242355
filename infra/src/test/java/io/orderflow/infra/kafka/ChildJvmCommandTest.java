package io.orderflow.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmCommandTest {

    private static final String MAIN = "io.orderflow.infra.kafka.BrokerMain";
    private static final List<String> JVM = List.of("-Xmx512m");
    private static final List<String> ARGS = List.of("server.properties", "cluster-id");

    @TempDir
    Path dir;

    @Test
    void givenMavenClassPath_thenChildGetsTheSameClassPathWithAbsoluteEntries() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path lib = jar(dir.resolve("lib.jar"), "org/example/Lib.class");
        String classPath = classes + File.pathSeparator + lib;

        List<String> command = ChildJvmCommand.build("/jdk/bin/java", classPath, MAIN, JVM, ARGS);

        assertThat(command).containsExactly("/jdk/bin/java", "-Xmx512m", "-cp", classPath, MAIN,
                "server.properties", "cluster-id");
    }

    @Test
    void givenRelativeEntries_thenTheyAreResolvedBecauseTheChildRunsElsewhere() {
        List<String> command = ChildJvmCommand.build("java", "target/classes", MAIN, JVM, ARGS);

        assertThat(command.get(command.indexOf("-cp") + 1))
                .isEqualTo(Path.of("target/classes").toAbsolutePath().normalize().toString());
    }

    @Test
    void givenSingleOrdinaryJar_thenPlainLaunch() throws IOException {
        Path jar = jar(dir.resolve("surefirebooter.jar"), "META-INF/MANIFEST.MF");

        List<String> command = ChildJvmCommand.build("java", jar.toString(), MAIN, JVM, ARGS);

        assertThat(command).containsSubsequence("-cp", jar.toString(), MAIN);
        assertThat(command).noneMatch(arg -> arg.startsWith("-Dloader.main"));
    }

    @Test
    void givenSpringBootExecutableJar_thenLaunchThroughPropertiesLauncher() throws IOException {
        Path jar = jar(dir.resolve("app.jar"), "BOOT-INF/classes/io/orderflow/App.class",
                "BOOT-INF/lib/infra.jar", "org/springframework/boot/loader/launch/PropertiesLauncher.class");

        List<String> command = ChildJvmCommand.build("java", jar.toString(), MAIN, JVM, ARGS);

        assertThat(command).containsExactly("java", "-Xmx512m", "-cp", jar.toString(), "-Dloader.main=" + MAIN,
                "org.springframework.boot.loader.launch.PropertiesLauncher", "server.properties", "cluster-id");
    }

    @Test
    void givenBootJarWithPre32Loader_thenLegacyLauncherName() throws IOException {
        Path jar = jar(dir.resolve("old.jar"), "BOOT-INF/classes/App.class",
                "org/springframework/boot/loader/PropertiesLauncher.class");

        assertThat(ChildJvmCommand.springBootLauncherOf(jar.toString()))
                .contains("org.springframework.boot.loader.PropertiesLauncher");
    }

    @Test
    void givenUnpackedBootJar_thenLaunchThroughPropertiesLauncher() throws IOException {
        Path exploded = Files.createDirectories(dir.resolve("application/BOOT-INF/lib")).getParent().getParent();

        List<String> command = ChildJvmCommand.build("java", exploded.toString(), MAIN, JVM, ARGS);

        assertThat(command).containsSubsequence("-cp", exploded.toString(), "-Dloader.main=" + MAIN,
                ChildJvmCommand.PROPERTIES_LAUNCHER);
    }

    @Test
    void givenThisJvm_thenItsJavaExecutableIsUsed() {
        List<String> command = ChildJvmCommand.forCurrentJvm(MAIN, JVM, ARGS);

        assertThat(Path.of(command.get(0))).isExecutable();
        assertThat(command).endsWith("server.properties", "cluster-id");
    }

    private static Path jar(Path file, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (String entry : entries) {
                jar.putNextEntry(new JarEntry(entry));
                jar.closeEntry();
            }
        }
        return file;
    }
}
