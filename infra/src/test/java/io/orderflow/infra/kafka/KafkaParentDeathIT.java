package io.orderflow.infra.kafka;

import io.orderflow.topics.TopicInitializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.infra.support.Processes;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trap 15 for Kafka: a broker must not outlive the JVM that started it, however that JVM dies. */
class KafkaParentDeathIT {

    @TempDir
    Path dir;

    private Process owner;
    private KafkaCluster cluster;

    @AfterEach
    void tearDown() {
        if (owner != null) {
            owner.destroyForcibly();
        }
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void givenOwningJvmKilledWithSigkill_thenItsBrokerExits_andANewClusterStartsOnTheSameData() throws Exception {
        Path data = dir.resolve("kafka");
        owner = new ProcessBuilder(ChildJvmCommand.forCurrentJvm(KafkaOwnerProcess.class.getName(),
                List.of("-Xmx128m"), List.of(data.toString()))).redirectErrorStream(true).start();
        long broker = readBrokerPid();

        long killedAt = System.nanoTime();
        owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // Start at once: the new cluster has to wait for the old broker to let go of its log directory.
        cluster = new KafkaCluster(data, 1);
        cluster.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> !Processes.isRunning(broker));
        System.out.printf("New cluster ready %d ms after the owner of the old one was killed with SIGKILL%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        assertThat(cluster.pid(0)).isNotEqualTo(broker);
        assertThat(new TopicInitializer(cluster.bootstrapServers()).apply().created()).isNotEmpty();
    }

    private long readBrokerPid() throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("broker-pid=")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the owner was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Long.parseLong(line.substring("broker-pid=".length()).trim());
            }
        }
        throw new IllegalStateException("the owner JVM exited before starting Kafka");
    }
}
