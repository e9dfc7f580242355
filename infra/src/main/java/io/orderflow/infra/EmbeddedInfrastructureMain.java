package io.orderflow.infra;

import io.orderflow.topics.TopicInitializer;
import io.orderflow.topics.Topics;
import io.orderflow.topics.TopicsProperties;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Runs the embedded PostgreSQL and Kafka without the application, for system tests and for operators.
 *
 * <p>Takes the same settings as the application, as {@code --name=value} arguments, system properties or
 * environment variables: {@code --orderflow.home=DIR} ({@code ORDERFLOW_HOME}), {@code --orderflow.kafka.brokers=N}
 * ({@code ORDERFLOW_KAFKA_BROKERS}), {@code --orderflow.postgres.port=P}, {@code --orderflow.kafka.port=P}. It
 * starts the servers, applies the topics, prints the endpoints ({@code key=value} lines, also written to
 * {@code <home>/endpoints.properties}) followed by a line {@code ready}, and runs until Ctrl-C or until its stdin
 * reaches end-of-file, so a harness that started it with a pipe stops it by closing the pipe or by dying.
 * {@code --orderflow.embedded.watch-stdin=false} ignores stdin (for running in the background).
 */
public final class EmbeddedInfrastructureMain {

    private EmbeddedInfrastructureMain() {
    }

    /** Starts everything and waits; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException, InterruptedException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        EmbeddedInfrastructureProperties configured = EmbeddedInfrastructureProperties.bind(environment);
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(environment, configured);
        boolean watchStdin = configured.embedded().watchStdin();
        TopicsProperties topics = EmbeddedInfrastructureProperties.bind(environment, "orderflow.kafka.topics",
                TopicsProperties.class);

        EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(settings);
        infrastructure.start();
        if (infrastructure.bootstrapServers() != null && topics.enabled()) {
            // Without a factor of its own (0), the embedded cluster's size gives it.
            int embeddedReplicationFactor = infrastructure.kafka()
                    .map(cluster -> Topics.defaultReplicationFactor(cluster.size())).orElse(0);
            new TopicInitializer(infrastructure.bootstrapServers())
                    .withPartitions(topics.partitions())
                    .withReplicationFactor(topics.replicationFactor() == 0 ? embeddedReplicationFactor
                            : topics.replicationFactor())
                    .withMinInSyncReplicas(topics.minInsyncReplicas())
                    .apply();
        }

        if (Files.isRegularFile(infrastructure.endpointsFile())) {
            System.out.print(Files.readString(infrastructure.endpointsFile(), StandardCharsets.UTF_8));
        }
        System.out.println("ready");
        System.out.flush();

        CountDownLatch done = new CountDownLatch(1);
        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // A broken stdin means the same as end-of-file.
                }
                done.countDown();
            }, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        // Ctrl-C ends the JVM; EmbeddedInfrastructure's shutdown hook stops the servers.
        done.await();
        infrastructure.stop();
        System.exit(0);
    }
}
