package io.orderflow.infra.postgres.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.orderflow.infra.EmbeddedInfrastructureSettings;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The operator's backup command for the embedded PostgreSQL ({@code java -jar orderflow-dev.jar database ...}):
 *
 * <pre>
 *   database backup            take a base backup of the running server, then verify it
 *   database list              the backups, oldest first, each verified
 *   database verify [NAME]     check a backup (default: the newest) and the WAL it needs
 *   database restore [NAME]    with orderflow stopped: make the data directory again from a backup and the WAL
 *                              archive; the next start replays the log to the last committed transaction
 * </pre>
 *
 * It takes the application's settings ({@code ORDERFLOW_HOME}, {@code ORDERFLOW_POSTGRES_BACKUP_DIRECTORY}, as
 * environment variables or {@code --name=value} arguments). Exit codes: 0 done, 1 failed or not restorable, 2 bad
 * usage.
 */
public final class DatabaseCommand {

    /** The first argument that runs this command instead of the application. */
    public static final String NAME = "database";

    private static final String USAGE = """
            usage: database backup | list | verify [NAME] | restore [NAME]
              backup   take a base backup of the running embedded PostgreSQL and verify it
              list     the backups, oldest first, each verified
              verify   check a backup (default: the newest) against its manifest and the WAL archive
              restore  with orderflow stopped: rebuild ORDERFLOW_HOME/postgres from a backup (default: the newest)
                       and the WAL archive; the next start replays the log to the last committed transaction""";

    private DatabaseCommand() {
    }

    /** Runs the command of {@code args} ({@code args[0]} is {@value #NAME}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = Arrays.stream(args).skip(1).filter(arg -> !arg.startsWith("--")).toList();
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(
                Arrays.stream(args).filter(arg -> arg.startsWith("--")).toArray(String[]::new)));
        if (words.isEmpty() || words.size() > 2 || !List.of("backup", "list", "verify", "restore")
                .contains(words.get(0)) || words.size() == 2 && List.of("backup", "list").contains(words.get(0))) {
            err.println(USAGE);
            return 2;
        }
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(environment);
        if (!settings.embeddedPostgres()) {
            err.println("The database command backs up the embedded PostgreSQL; with an external database "
                    + "(SPRING_DATASOURCE_URL), use that platform's backups (see docs/operations/postgresql-lost.md).");
            return 2;
        }
        BaseBackups backups = new BaseBackups(settings.postgresBackupDirectory());
        String name = words.size() == 2 ? words.get(1) : null;
        try {
            return switch (words.get(0)) {
                case "backup" -> backup(settings, backups, out);
                case "list" -> list(backups, out);
                case "verify" -> verify(backups, name, out, err);
                default -> restore(settings, backups, name, out, err);
            };
        } catch (RuntimeException e) {
            err.println("database " + words.get(0) + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static int backup(EmbeddedInfrastructureSettings settings, BaseBackups backups, PrintStream out) {
        Path endpoints = settings.home().resolve("endpoints.properties");
        Properties running = new Properties();
        try (InputStream in = Files.newInputStream(endpoints)) {
            running.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("orderflow is not running with ORDERFLOW_HOME=" + settings.home()
                    + " (no readable " + endpoints + "); a backup is taken of the running server", e);
        }
        String jdbcUrl = running.getProperty("jdbc.url");
        if (jdbcUrl == null) {
            throw new IllegalStateException(endpoints + " names no embedded PostgreSQL");
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(settings.postgresDirectory(),
                portOf(jdbcUrl), settings.database());
        BaseBackups.Backup backup = backups.take(server.jdbcUrl("postgres"), server.username(), server.password(),
                server.dataDirectory(), line -> out.println("  " + line));
        out.println("Backup " + backup);
        BaseBackups.Verification verification = backups.verify(backup);
        out.println(verification);
        return verification.ok() ? 0 : 1;
    }

    private static int list(BaseBackups backups, PrintStream out) {
        List<BaseBackups.Backup> all = backups.list();
        if (all.isEmpty()) {
            out.println("No backups in " + backups.root());
            return 0;
        }
        boolean allOk = true;
        for (BaseBackups.Backup backup : all) {
            BaseBackups.Verification verification = backups.verify(backup);
            allOk &= verification.ok();
            out.println(backup + (verification.ok() ? "  restorable" : "  NOT restorable: "
                    + String.join("; ", verification.problems())));
        }
        return allOk ? 0 : 1;
    }

    private static int verify(BaseBackups backups, String name, PrintStream out, PrintStream err) {
        BaseBackups.Backup backup = backups.find(name).orElse(null);
        if (backup == null) {
            err.println(missing(backups, name));
            return 1;
        }
        BaseBackups.Verification verification = backups.verify(backup);
        (verification.ok() ? out : err).println(verification);
        return verification.ok() ? 0 : 1;
    }

    private static int restore(EmbeddedInfrastructureSettings settings, BaseBackups backups, String name,
                               PrintStream out, PrintStream err) {
        BaseBackups.Backup backup = backups.find(name).orElse(null);
        if (backup == null) {
            err.println(missing(backups, name));
            return 1;
        }
        out.println("Restoring " + backup + " into " + settings.postgresDirectory());
        BackupRestore.Restored restored = BackupRestore.restore(backups, backup, settings.postgresDirectory());
        out.println("Restored: " + restored);
        out.println("Start orderflow as before: PostgreSQL replays the log to the last committed transaction at its "
                + "first start. Then take a new backup.");
        return 0;
    }

    private static String missing(BaseBackups backups, String name) {
        return name == null ? "No backups in " + backups.root() : "No backup named " + name + " in " + backups.root()
                + " (database list shows them)";
    }

    private static int portOf(String jdbcUrl) {
        // jdbc:postgresql://127.0.0.1:PORT/DATABASE
        String hostAndPort = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2, jdbcUrl.indexOf('/', jdbcUrl.indexOf("//") + 2));
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }
}
