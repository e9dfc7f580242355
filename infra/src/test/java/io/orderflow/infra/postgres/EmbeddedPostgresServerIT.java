package io.orderflow.infra.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.infra.kafka.ChildJvmCommand;
import io.orderflow.infra.support.Processes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerIT {

    @TempDir
    Path dir;

    private EmbeddedPostgresServer server;
    private Process owner;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        if (owner != null) {
            owner.destroyForcibly();
        }
    }

    @Test
    void givenDefaults_thenFsyncAndSynchronousCommitAreOn_andOnlyLoopbackIsListenedOn() throws SQLException {
        server = new EmbeddedPostgresServer(dir.resolve("postgres"), 0);
        server.start();

        assertThat(query(server.jdbcUrl(), "SHOW fsync")).isEqualTo("on");
        assertThat(query(server.jdbcUrl(), "SHOW synchronous_commit")).isEqualTo("on");
        assertThat(query(server.jdbcUrl(), "SHOW full_page_writes")).isEqualTo("on");
        assertThat(query(server.jdbcUrl(), "SHOW listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(query(server.jdbcUrl(), "SELECT current_database()")).isEqualTo("orderflow");
    }

    @Test
    void givenCommittedRow_whenStoppedAndStartedOnSameDirectory_thenRowIsStillThere_onTheSamePort()
            throws SQLException {
        server = new EmbeddedPostgresServer(dir.resolve("postgres"), 0);
        server.start();
        int port = server.port();
        long firstStart = server.lastStartDuration().toMillis();
        execute(server.jdbcUrl(), "CREATE TABLE orders (id text PRIMARY KEY)", "INSERT INTO orders VALUES ('o-1')");

        server.stop();
        assertThat(server.isRunning()).isFalse();
        server.start();

        assertThat(server.port()).isEqualTo(port);
        assertThat(query(server.jdbcUrl(), "SELECT string_agg(id, ',') FROM orders")).isEqualTo("o-1");
        System.out.printf("PostgreSQL first start (initdb) %d ms, restart on existing data %d ms%n", firstStart,
                server.lastStartDuration().toMillis());
    }

    @Test
    void givenCommittedRows_whenStoppedImmediately_thenTheySurviveCrashRecovery() throws SQLException {
        server = new EmbeddedPostgresServer(dir.resolve("postgres"), 0);
        server.start();
        execute(server.jdbcUrl(), "CREATE TABLE orders (id int PRIMARY KEY)");
        try (Connection connection = connect(server.jdbcUrl()); Statement statement = connection.createStatement()) {
            for (int i = 0; i < 200; i++) {
                statement.execute("INSERT INTO orders VALUES (" + i + ")");
            }
        }
        long pid = server.postmasterPid();

        server.stopImmediate();
        assertThat(Processes.isRunning(pid)).isFalse();
        server.start();

        assertThat(query(server.jdbcUrl(), "SELECT count(*) FROM orders")).isEqualTo("200");
        System.out.printf("PostgreSQL restart after immediate stop (crash recovery) %d ms%n",
                server.lastStartDuration().toMillis());
    }

    @Test
    void givenOwningJvmKilled_thenTheWatchdogStopsThePostmaster_andDataIsKept() throws Exception {
        Path data = dir.resolve("postgres");
        long postmaster = startOwner(data);

        long killedAt = System.nanoTime();
        owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> !isAlive(postmaster));
        System.out.printf("Postmaster exited %d ms after its JVM was killed with SIGKILL%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));

        server = new EmbeddedPostgresServer(data, 0);
        server.start();
        assertThat(query(server.jdbcUrl(), "SELECT id FROM owner_rows")).isEqualTo("committed-by-owner");
    }

    @Test
    void givenOrphanedPostmaster_whenStarting_thenTheStaleServerIsStoppedFirst_andDataIsKept() throws Exception {
        Path data = dir.resolve("postgres");
        long postmaster = startOwner(data);
        // Without its watchdog the postmaster outlives its owner, as it would with a plain zonky server.
        List<ProcessHandle> watchdogs = owner.toHandle().descendants()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains("orderflow-pg-watchdog"))
                        .orElse(false)).toList();
        assertThat(watchdogs).isNotEmpty();
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(1_500);
        assertThat(isAlive(postmaster)).as("orphaned postmaster still running").isTrue();

        server = new EmbeddedPostgresServer(data, 0);
        server.start();

        assertThat(isAlive(postmaster)).isFalse();
        assertThat(server.postmasterPid()).isNotEqualTo(postmaster);
        assertThat(server.lastStartSummary()).contains("stale server");
        assertThat(query(server.jdbcUrl(), "SELECT id FROM owner_rows")).isEqualTo("committed-by-owner");
    }

    private long startOwner(Path data) throws IOException {
        owner = new ProcessBuilder(ChildJvmCommand.forCurrentJvm(PostgresOwnerProcess.class.getName(),
                List.of("-Xmx128m"), List.of(data.toString())))
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("postmaster-pid=")) {
                long pid = Long.parseLong(line.substring("postmaster-pid=".length()).trim());
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the owner was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return pid;
            }
            System.out.println("[owner] " + line);
        }
        throw new IllegalStateException("the owner JVM exited before starting PostgreSQL");
    }

    private static boolean isAlive(long pid) {
        return Processes.isRunning(pid);
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, server.username(), server.password());
    }

    private void execute(String url, String... statements) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private String query(String url, String sql) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
