package io.orderflow.infra.postgres.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.infra.EmbeddedInfrastructure;
import io.orderflow.infra.EmbeddedInfrastructureSettings;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The PostgreSQL-lost procedure on a real server: the WAL archive, a base backup taken while rows are written, the
 * server killed and its data directory deleted, the restore, and every acknowledged row back. Through the operator's
 * command ({@link DatabaseCommand}), as the runbook gives it.
 */
class BaseBackupIT {

    @TempDir
    Path home;

    private EmbeddedInfrastructure infrastructure;

    @AfterEach
    void tearDown() {
        if (infrastructure != null) {
            infrastructure.stop();
        }
    }

    @Test
    void aServerLostWithItsDataDirectory_isRestoredFromTheBackupAndTheArchive_toItsLastCommit() throws Exception {
        infrastructure = new EmbeddedInfrastructure(settings(true));
        infrastructure.start();
        EmbeddedPostgresServer server = infrastructure.postgres().orElseThrow();
        execute(server, "CREATE TABLE acknowledged (id bigint PRIMARY KEY, payload text NOT NULL)");
        Writer writer = new Writer(server);
        writer.start();
        awaitRows(writer, 200);

        Command backup = command("backup");
        assertThat(backup.exit).as(backup.output).isZero();
        assertThat(backup.output).contains("verified");
        awaitRows(writer, writer.acknowledged().size() + 200);
        execute(server, "SELECT pg_switch_wal()");       // one complete segment after the backup, then a partial one
        awaitRows(writer, writer.acknowledged().size() + 200);

        // The loss: the server killed mid-write, its data directory gone.
        long postmaster = server.postmasterPid();
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
        writer.stopAfterFailure();
        Set<Long> acknowledged = writer.acknowledged();
        server.stopImmediate();
        deleteTree(server.dataDirectory());
        infrastructure.stop();

        Command list = command("list");
        assertThat(list.exit).as(list.output).isZero();
        assertThat(list.output).contains("restorable");
        Command restore = command("restore");
        assertThat(restore.exit).as(restore.output).isZero();
        assertThat(restore.output).contains("the one still being written");

        infrastructure = new EmbeddedInfrastructure(settings(true));
        infrastructure.start();
        server = infrastructure.postgres().orElseThrow();
        Set<Long> restored = new TreeSet<>();
        try (Connection sql = connect(server); Statement statement = sql.createStatement();
             var rows = statement.executeQuery("SELECT id FROM acknowledged")) {
            while (rows.next()) {
                restored.add(rows.getLong(1));
            }
        }
        System.out.printf("PostgreSQL lost: %d rows acknowledged, %d restored, %d missing%n", acknowledged.size(),
                restored.size(), acknowledged.stream().filter(id -> !restored.contains(id)).count());
        assertThat(restored).containsAll(acknowledged);
        // Writable again, and the archive goes on: the next backup verifies.
        execute(server, "INSERT INTO acknowledged VALUES (-1, 'after the restore')");
        Command again = command("backup");
        assertThat(again.exit).as(again.output).isZero();
    }

    @Test
    void aBackupWithAChangedFile_isNotRestorable_andTheRestoreChangesNothing() throws Exception {
        infrastructure = new EmbeddedInfrastructure(settings(true));
        infrastructure.start();
        Command backup = command("backup");
        assertThat(backup.exit).as(backup.output).isZero();
        infrastructure.stop();
        BaseBackups backups = new BaseBackups(home.resolve("postgres-backup"));
        Path version = backups.find(null).orElseThrow().data().resolve("PG_VERSION");
        Files.writeString(version, "16\n");

        Command verify = command("verify");
        assertThat(verify.exit).isEqualTo(1);
        assertThat(verify.output).contains("NOT restorable").contains("changed since the backup: PG_VERSION");
        Command restore = command("restore");
        assertThat(restore.exit).isEqualTo(1);
        assertThat(Files.exists(home.resolve("postgres").resolve("PG_VERSION"))).isTrue();
        try (var entries = Files.list(home)) {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(n -> n.contains("before-restore"));
        }
    }

    @Test
    void withoutTheArchive_aBackupIsRefused_withTheSettingToTurnItOn() {
        infrastructure = new EmbeddedInfrastructure(settings(false));
        infrastructure.start();
        Command backup = command("backup");
        assertThat(backup.exit).isEqualTo(1);
        assertThat(backup.output).contains("ORDERFLOW_POSTGRES_WAL_ARCHIVE=true");
        assertThat(command("bogus").exit).isEqualTo(2);
        assertThat(command("list").output).contains("No backups");
    }

    private EmbeddedInfrastructureSettings settings(boolean archive) {
        return EmbeddedInfrastructureSettings.from(environment().withProperty("orderflow.postgres.wal-archive",
                Boolean.toString(archive)));
    }

    private MockEnvironment environment() {
        return new MockEnvironment()
                .withProperty("orderflow.home", home.toString())
                .withProperty("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")
                .withProperty(EmbeddedInfrastructureSettings.ISSUER_PROPERTY, "http://127.0.0.1:1");
    }

    private record Command(int exit, String output) {
    }

    private Command command(String... words) {
        List<String> args = new ArrayList<>(List.of(DatabaseCommand.NAME));
        args.addAll(List.of(words));
        args.add("--orderflow.home=" + home);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = DatabaseCommand.run(args.toArray(String[]::new), stream, stream);
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println("database " + String.join(" ", words) + " -> " + exit + "\n" + output);
        return new Command(exit, output);
    }

    /** Inserts rows one transaction each and remembers those whose commit returned. */
    private static final class Writer extends Thread {
        private final EmbeddedPostgresServer server;
        private final Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final AtomicBoolean failed = new AtomicBoolean();

        Writer(EmbeddedPostgresServer server) {
            super("writer");
            this.server = server;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (Connection sql = connect(server); var insert = sql.prepareStatement(
                    "INSERT INTO acknowledged VALUES (?, repeat('x', 2000))")) {
                for (long id = 0; ; id++) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                    acknowledged.add(id);
                }
            } catch (SQLException e) {
                failed.set(true);
            }
        }

        Set<Long> acknowledged() {
            return new TreeSet<>(acknowledged);
        }

        void stopAfterFailure() throws InterruptedException {
            join(Duration.ofSeconds(30).toMillis());
            assertThat(failed).as("the writer saw the server go").isTrue();
        }
    }

    private static void awaitRows(Writer writer, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (writer.acknowledged.size() < rows) {
            assertThat(System.nanoTime()).as("rows written in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void deleteTree(Path directory) throws java.io.IOException {
        BaseBackups.deleteTree(directory);
    }
}
