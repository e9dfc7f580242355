package io.orderflow.infra.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {

    @TempDir
    Path directory;

    @Test
    void theFirstLaunchRecords_aNormalExitPublishes_andLaterLaunchesMapTheArchive() throws IOException {
        Path jar = jar("app.jar", null);
        Path archives = directory.resolve("cds");

        ClassDataSharing.Launch first = ClassDataSharing.in(archives, jar.toString(), "io.example.Main");
        assertThat(first.records()).isTrue();
        assertThat(first.options()).singleElement().asString().startsWith("-XX:ArchiveClassesAtExit=" + archives);
        ClassDataSharing.Launch meanwhile = ClassDataSharing.in(archives, jar.toString(), "io.example.Main");
        assertThat(meanwhile.options()).as("one recording at a time").isEmpty();
        writeArchive(recording(first));
        first.exited(143);

        ClassDataSharing.Launch second = ClassDataSharing.in(archives, jar.toString(), "io.example.Main");
        assertThat(second.records()).isFalse();
        assertThat(second.options()).singleElement().asString().startsWith("-XX:SharedArchiveFile=" + archives)
                .contains("Main-").endsWith(".jsa");
        try (var files = Files.list(archives)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void aKilledRecordingIsDiscarded_andTheNextLaunchRecordsAgain() throws IOException {
        Path jar = jar("app.jar", null);
        Path archives = directory.resolve("cds");
        ClassDataSharing.Launch killed = ClassDataSharing.in(archives, jar.toString(), "io.example.Main");
        Files.writeString(recording(killed), "half an archive");

        killed.exited(137);

        try (var files = Files.list(archives)) {
            assertThat(files).isEmpty();
        }
        assertThat(ClassDataSharing.in(archives, jar.toString(), "io.example.Main").records()).isTrue();
    }

    @Test
    void aCompleteRecordingLeftByADeadLauncherIsAdopted_oneBeingWrittenIsLeftAlone() throws IOException {
        Path jar = jar("app.jar", null);
        Path archives = directory.resolve("cds");
        ClassDataSharing.Launch orphaned = ClassDataSharing.in(archives, jar.toString(), "io.example.Main");
        writeArchive(recording(orphaned));
        ClassDataSharing.Launch writing = ClassDataSharing.in(archives, jar.toString(), "io.example.Other");
        Files.write(recording(writing), new byte[8]);

        // A new JVM knows nothing of the launches above; their recordings are all it finds.
        ClassDataSharing.Launch main = ClassDataSharing.in(archives, jar.toString(), "io.example.Main");
        assertThat(main.records()).isFalse();
        assertThat(main.options()).singleElement().asString().startsWith("-XX:SharedArchiveFile=");
        assertThat(recording(writing)).exists();

        FileTime anHourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(recording(writing), anHourAgo);
        ClassDataSharing.in(archives, jar.toString(), "io.example.Other");
        assertThat(recording(writing)).as("abandoned long ago").doesNotExist();
    }

    @Test
    void aRebuiltJarGetsAnArchiveOfItsOwn() throws IOException {
        Path jar = jar("app.jar", null);
        Path archives = directory.resolve("cds");
        ClassDataSharing.Launch first = ClassDataSharing.in(archives, jar.toString(), "io.example.Main");
        writeArchive(recording(first));
        first.exited(0);

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));

        assertThat(ClassDataSharing.in(archives, jar.toString(), "io.example.Main").records()).isTrue();
    }

    @Test
    void aClassPathWithADirectory_evenThroughAManifest_getsNoOption() throws IOException {
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "x");
        Path archives = directory.resolve("cds");

        assertThat(ClassDataSharing.in(archives, classes.toString(), "io.example.Main").options()).isEmpty();
        Path jar = jar("launcher.jar", "classes/ lib/a.jar");
        assertThat(ClassDataSharing.in(archives, jar.toString(), "io.example.Main").options()).isEmpty();
    }

    @Test
    void theManifestsJarsAreEntriesToo() throws IOException {
        Path jar = jar("app.jar", "lib/a.jar lib/b.jar");

        assertThat(ClassDataSharing.entries(jar.toString()))
                .containsExactly(jar, directory.resolve("lib/a.jar"), directory.resolve("lib/b.jar"));
    }

    @Test
    void withoutTheSettingNoLaunchIsChanged() throws IOException {
        Path jar = jar("app.jar", null);
        String before = System.clearProperty(ClassDataSharing.DIRECTORY_PROPERTY);
        try {
            assertThat(ClassDataSharing.forLaunch(jar.toString(), "io.example.Main").options()).isEmpty();
        } finally {
            if (before != null) {
                System.setProperty(ClassDataSharing.DIRECTORY_PROPERTY, before);
            }
        }
    }

    /** What HotSpot writes: an archive starts with the dynamic archive's magic number. */
    private static void writeArchive(Path file) throws IOException {
        Files.write(file, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(0xf00baba8).putInt(1).array());
    }

    private static Path recording(ClassDataSharing.Launch launch) {
        return Path.of(launch.options().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
    }

    private Path jar(String name, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = directory.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out,
                manifest)) {
            // a manifest is all these tests need
        }
        return jar;
    }
}
