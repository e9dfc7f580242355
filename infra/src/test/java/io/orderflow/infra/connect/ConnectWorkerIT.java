package io.orderflow.infra.connect;

import io.orderflow.infra.kafka.KafkaCluster;
import io.orderflow.infra.support.LocalPorts;
import io.orderflow.infra.support.Processes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded Kafka Connect worker on a real broker: it unpacks, joins its group with its internal topics, offers
 * the Debezium plugins from the archive, is started again by its supervisor after a SIGKILL, and exits when its stdin
 * closes (as it does when the application dies).
 */
class ConnectWorkerIT {

    @TempDir
    Path dir;

    private KafkaCluster kafka;
    private ConnectWorker worker;

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void theWorkerOffersTheDebeziumPlugins_keepsItsStateInKafka_andComesBackAfterSigkill() throws Exception {
        kafka = new KafkaCluster(dir.resolve("kafka"), 1);
        kafka.start();
        worker = new ConnectWorker(dir.resolve("connect"), LocalPorts.pickFree(), kafka.bootstrapServers(), 1,
                ConnectWorker.databaseEnvironment("jdbc:postgresql://127.0.0.1:5432/orderflow", "u", "p"));

        long started = System.nanoTime();
        worker.start();
        assertThat(worker.awaitReady(Duration.ofSeconds(120))).as("REST API up; log:%n%s", logTail()).isTrue();
        System.out.printf("Connect worker ready in %d ms (first start, archive unpacked)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        String plugins = get("/connector-plugins");
        assertThat(plugins).contains("io.debezium.connector.postgresql.PostgresConnector",
                "io.debezium.connector.jdbc.JdbcSinkConnector");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).contains(ConnectWorker.CONFIG_TOPIC, ConnectWorker.OFFSET_TOPIC,
                    ConnectWorker.STATUS_TOPIC);
        }
        assertThat(Files.readString(worker.pidFile())).isEqualTo(Long.toString(worker.pid()));

        long first = worker.pid();
        long killedAt = System.nanoTime();
        worker.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.restartCount() == 1 && worker.pid() != first);
        assertThat(worker.awaitReady(Duration.ofSeconds(120))).isTrue();
        System.out.printf("Connect worker answering again %d ms after SIGKILL%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        assertThat(Processes.isRunning(first)).isFalse();

        long second = worker.pid();
        long stopping = System.nanoTime();
        worker.stop();
        assertThat(Processes.isRunning(second)).as("exits when its stdin closes").isFalse();
        System.out.printf("Connect worker stopped cleanly in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
        assertThat(worker.pidFile()).doesNotExist();
        worker = null;
    }

    @Test
    void theDatabaseVariablesComeFromTheJdbcUrl_andAnotherDatabaseIsRefused() {
        assertThat(ConnectWorker.databaseEnvironment("jdbc:postgresql://127.0.0.1:54321/orders?sslmode=disable",
                "app", "secret"))
                .containsEntry(ConnectWorker.DATABASE_HOSTNAME, "127.0.0.1")
                .containsEntry(ConnectWorker.DATABASE_PORT, "54321")
                .containsEntry(ConnectWorker.DATABASE_NAME, "orders")
                .containsEntry(ConnectWorker.DATABASE_USER, "app")
                .containsEntry(ConnectWorker.DATABASE_PASSWORD, "secret");
        assertThat(ConnectWorker.databaseEnvironment("jdbc:postgresql://db/orders", null, null))
                .containsEntry(ConnectWorker.DATABASE_PORT, "5432");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ConnectWorker.databaseEnvironment("jdbc:mysql://db:3306/orders", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PostgreSQL");
    }

    private String logTail() throws java.io.IOException {
        java.util.List<String> lines = Files.readAllLines(worker.logFile());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(worker.restUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
