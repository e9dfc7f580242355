package io.orderflow.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClassPathTest {

    @TempDir
    Path directory;

    @Test
    void aBrokerFromAJar_runsOnTheJarsAlone() throws IOException {
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Path testClasses = Files.createDirectories(directory.resolve("test-classes"));
        Path kafka = Files.createFile(directory.resolve("kafka.jar"));
        Path infra = Files.createFile(directory.resolve("infra.jar"));
        String classPath = String.join(File.pathSeparator, testClasses.toString(), classes.toString(),
                kafka.toString(), infra.toString());

        assertThat(KafkaCluster.brokerClassPath(classPath, true))
                .isEqualTo(kafka + File.pathSeparator + infra);
    }

    @Test
    void aBrokerFromAClassDirectory_keepsTheWholeClassPath() throws IOException {
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Path kafka = Files.createFile(directory.resolve("kafka.jar"));
        String classPath = classes + File.pathSeparator + kafka;

        assertThat(KafkaCluster.brokerClassPath(classPath, false)).isEqualTo(classPath);
    }
}
