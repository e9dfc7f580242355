package io.orderflow.infra.connect;

import io.orderflow.infra.kafka.ChildJvmCommand;
import io.orderflow.infra.support.LocalPorts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka Connect worker in distributed mode, run as a child JVM of the application.
 *
 * <p>The worker is the {@code kafka-connect-worker} archive (Connect's runtime and the Debezium PostgreSQL source and
 * JDBC sink plugins, all from Maven), unpacked once per archive version under {@code <directory>/dist-<hash>}. Like
 * any distributed worker it keeps its connector configurations, source offsets and status in Kafka topics
 * ({@value #CONFIG_TOPIC}, {@value #OFFSET_TOPIC}, {@value #STATUS_TOPIC}), so a restarted worker, or another one in
 * the same group, goes on where it stopped. Its REST API listens on 127.0.0.1.
 *
 * <p>Connector configurations reach it through the REST API. They name the database with Connect's environment
 * config provider ({@code ${env:ORDERFLOW_CONNECT_DATABASE_HOSTNAME}} and the rest of {@link #environment}), so the
 * same files apply to any worker that has those variables set, and no password is stored in a connector's config.
 *
 * <p>The worker exits when the application does ({@link ConnectWorkerMain} watches its stdin). A worker that exits
 * on its own is started again after a short delay, unless auto-restart is off.
 */
public final class ConnectWorker {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorker.class);

    /** The worker archive inside the infra jar's class path, made by the kafka-connect-worker module. */
    static final String ARCHIVE = "/io/orderflow/connect/connect-worker.zip";
    /** The Connect group of the embedded worker. */
    public static final String GROUP_ID = "orderflow-connect";
    public static final String CONFIG_TOPIC = "orderflow.connect-configs";
    public static final String OFFSET_TOPIC = "orderflow.connect-offsets";
    public static final String STATUS_TOPIC = "orderflow.connect-status";
    /** The variables the connector files read through Connect's {@code env} config provider. */
    public static final String DATABASE_HOSTNAME = "ORDERFLOW_CONNECT_DATABASE_HOSTNAME";
    public static final String DATABASE_PORT = "ORDERFLOW_CONNECT_DATABASE_PORT";
    public static final String DATABASE_NAME = "ORDERFLOW_CONNECT_DATABASE_DBNAME";
    public static final String DATABASE_USER = "ORDERFLOW_CONNECT_DATABASE_USER";
    public static final String DATABASE_PASSWORD = "ORDERFLOW_CONNECT_DATABASE_PASSWORD";

    private static final Duration STOP_WAIT = Duration.ofSeconds(40);
    private static final Duration STABLE_RUN = Duration.ofSeconds(60);
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            // Connect logs through slf4j-simple to stdout, which goes to worker.log.
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.logFile=System.out",
            // Every client prints its whole configuration at INFO; the worker's own messages are what matters.
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.utils.AppInfoParser=warn");

    private final Path directory;
    private final int port;
    private final String bootstrapServers;
    private final int replicationFactor;
    private final Map<String, String> environment;
    private Map<String, ?> kafkaSecurity = Map.of();
    private final ScheduledExecutorService supervisor;

    private Process process;
    private long launchedAt;
    private long restartDelayMillis = 1_000;
    private boolean running;
    private boolean autoRestart = true;
    private int restarts;
    private Path distribution;

    /**
     * A worker (not yet started) that keeps its files in {@code directory}, serves its REST API on
     * 127.0.0.1:{@code port}, joins the Kafka cluster at {@code bootstrapServers} with internal topics of
     * {@code replicationFactor}, and runs with {@code environment} (the database the connectors read and write).
     */
    public ConnectWorker(Path directory, int port, String bootstrapServers, int replicationFactor,
                         Map<String, String> environment) {
        this.directory = directory.toAbsolutePath().normalize();
        this.port = port;
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.replicationFactor = replicationFactor;
        this.environment = Map.copyOf(environment);
        this.supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "connect-worker-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Settings of a secured cluster (security protocol, SASL, trust store) for the worker's own clients and its
     * connectors' producers, consumers and admin clients; none for a plaintext cluster.
     */
    public ConnectWorker withKafkaSecurity(Map<String, ?> settings) {
        this.kafkaSecurity = Map.copyOf(settings);
        return this;
    }

    /**
     * The database variables for a PostgreSQL JDBC URL ({@code jdbc:postgresql://host:port/database}) and its
     * credentials.
     */
    public static Map<String, String> databaseEnvironment(String jdbcUrl, String user, String password) {
        URI uri = URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null
                || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("Kafka Connect's connectors need a PostgreSQL URL of the form "
                    + "jdbc:postgresql://host:port/database, not " + jdbcUrl);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(DATABASE_HOSTNAME, uri.getHost());
        variables.put(DATABASE_PORT, Integer.toString(uri.getPort() == -1 ? 5432 : uri.getPort()));
        variables.put(DATABASE_NAME, uri.getPath().substring(1));
        variables.put(DATABASE_USER, user == null ? "" : user);
        variables.put(DATABASE_PASSWORD, password == null ? "" : password);
        return variables;
    }

    /** Unpacks the worker if needed, writes its configuration and launches it; does not wait for it. */
    public synchronized void start() {
        if (running) {
            return;
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(directory);
            distribution = unpack();
            writeConfiguration();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the Kafka Connect worker in " + directory, e);
        }
        running = true;
        launch();
        log.info("Kafka Connect worker launched (pid {}, REST {}, prepared in {} ms; log {})", process.pid(),
                restUrl(), Duration.ofNanos(System.nanoTime() - started).toMillis(), logFile());
    }

    /** Waits until the worker's REST API answers; false if it did not within {@code timeout}. */
    public boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return true;
            }
            sleep(250);
        }
        return false;
    }

    /** Stops the worker cleanly (its stdin closes, Connect stops its tasks), forcibly after 40 s. */
    public synchronized void stop() {
        running = false;
        Process current = process;
        process = null;
        if (current != null) {
            closeStdin(current);
            try {
                if (!current.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    log.warn("Kafka Connect worker (pid {}) did not stop within {} s; killing it", current.pid(),
                            STOP_WAIT.toSeconds());
                    current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                current.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            log.info("Kafka Connect worker stopped");
        }
        supervisor.shutdownNow();
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            log.debug("Could not delete {}", pidFile(), e);
        }
    }

    /** SIGKILL, as a crash would end it; the supervisor starts it again when auto-restart is on. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** The REST API's base URL, {@code http://127.0.0.1:<port>}. */
    public String restUrl() {
        return "http://" + LocalPorts.LOOPBACK + ":" + port;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The worker process's id, or -1 when none runs. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** How many times the supervisor has started the worker again. */
    public synchronized int restartCount() {
        return restarts;
    }

    public synchronized void setAutoRestart(boolean autoRestart) {
        this.autoRestart = autoRestart;
    }

    /** The worker's log (its stdout and stderr). */
    public Path logFile() {
        return directory.resolve("worker.log");
    }

    /** Holds the running worker's pid, for operators. */
    public Path pidFile() {
        return directory.resolve("worker.pid");
    }

    public Path configFile() {
        return directory.resolve("worker.properties");
    }

    @Override
    public String toString() {
        return "ConnectWorker[" + restUrl() + ", " + directory + "]";
    }

    /** The worker's configuration: distributed mode, internal topics, JSON with schemas, the env config provider. */
    Properties configuration() {
        Properties config = new Properties();
        kafkaSecurity.forEach((key, value) -> {
            for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
                config.setProperty(prefix + key, String.valueOf(value));
            }
        });
        config.setProperty("bootstrap.servers", bootstrapServers);
        config.setProperty("group.id", GROUP_ID);
        config.setProperty("config.storage.topic", CONFIG_TOPIC);
        config.setProperty("offset.storage.topic", OFFSET_TOPIC);
        config.setProperty("status.storage.topic", STATUS_TOPIC);
        String factor = Integer.toString(replicationFactor);
        config.setProperty("config.storage.replication.factor", factor);
        config.setProperty("offset.storage.replication.factor", factor);
        config.setProperty("status.storage.replication.factor", factor);
        // Connect's defaults (25 and 5) are sized for large clusters; a handful of connectors needs far fewer.
        config.setProperty("offset.storage.partitions", "5");
        config.setProperty("status.storage.partitions", "3");
        // Self-describing JSON until records carry a registry's schema id: the JDBC sink needs the schema.
        config.setProperty("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.setProperty("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.setProperty("key.converter.schemas.enable", "true");
        config.setProperty("value.converter.schemas.enable", "true");
        // Source offsets are committed every 5 s (Connect's default is 60 s): what a crash sends again.
        config.setProperty("offset.flush.interval.ms", "5000");
        // One worker: a worker that left is not waited for before its connectors are assigned again.
        config.setProperty("scheduled.rebalance.max.delay.ms", "0");
        config.setProperty("listeners", "http://" + LocalPorts.LOOPBACK + ":" + port);
        config.setProperty("rest.advertised.host.name", LocalPorts.LOOPBACK);
        config.setProperty("rest.advertised.port", Integer.toString(port));
        config.setProperty("plugin.path", distribution.resolve("plugins").toString());
        config.setProperty("config.providers", "env");
        config.setProperty("config.providers.env.class",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        config.setProperty("config.providers.env.param.allowlist.pattern", "^ORDERFLOW_CONNECT_.*$");
        return config;
    }

    private void writeConfiguration() throws IOException {
        // Owner-only: on a secured cluster it holds the worker's SASL password.
        java.io.StringWriter text = new java.io.StringWriter();
        configuration().store(text, "Written by orderflow at each start; edits are overwritten");
        io.orderflow.infra.support.OwnerOnlyFiles.write(configFile(), text.toString());
        // The launcher runs on the worker's own class path, so its class file is copied out of this jar.
        String resource = ConnectWorkerMain.class.getName().replace('.', '/') + ".class";
        Path launcher = directory.resolve("launcher").resolve(resource);
        Files.createDirectories(launcher.getParent());
        try (InputStream in = ConnectWorker.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the class path");
            }
            Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Unpacks the archive into {@code dist-<first 12 hex digits of its SHA-256>} unless that is already complete, and
     * deletes the directories of other versions.
     */
    private Path unpack() throws IOException {
        String version = archiveDigest();
        Path target = directory.resolve("dist-" + version);
        Path complete = target.resolve(".complete");
        if (!Files.exists(complete)) {
            long started = System.nanoTime();
            Path partial = directory.resolve("dist-" + version + ".partial");
            deleteRecursively(partial);
            try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(openArchive()))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    Path file = partial.resolve(entry.getName()).normalize();
                    if (!file.startsWith(partial)) {
                        throw new IOException("archive entry outside its directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(file);
                    } else {
                        Files.createDirectories(file.getParent());
                        Files.copy(zip, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            deleteRecursively(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(complete, version);
            log.info("Unpacked the Kafka Connect worker into {} in {} ms", target,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        try (DirectoryStream<Path> others = Files.newDirectoryStream(directory, "dist-*")) {
            for (Path other : others) {
                if (!other.equals(target)) {
                    deleteRecursively(other);
                }
            }
        }
        return target;
    }

    private static String archiveDigest() throws IOException {
        try (DigestInputStream in = new DigestInputStream(openArchive(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream openArchive() throws IOException {
        InputStream in = ConnectWorker.class.getResourceAsStream(ARCHIVE);
        if (in == null) {
            throw new IOException("The Kafka Connect worker archive " + ARCHIVE + " is not on the class path (it "
                    + "comes from the kafka-connect-worker module)");
        }
        return in;
    }

    private void launch() {
        String classPath = directory.resolve("launcher") + java.io.File.pathSeparator
                + distribution.resolve("lib") + "/*";
        List<String> command = new ArrayList<>();
        command.add(ChildJvmCommand.javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(classPath);
        command.add(ConnectWorkerMain.class.getName());
        command.add(configFile().toString());
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(environment);
            Process started = builder.start();
            process = started;
            launchedAt = System.nanoTime();
            Files.writeString(pidFile(), Long.toString(started.pid()));
            started.onExit().thenAccept(this::onExit);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch the Kafka Connect worker", e);
        }
    }

    private void onExit(Process exited) {
        closeStdin(exited);
        synchronized (this) {
            if (process != exited || !running) {
                return;
            }
            log.warn("Kafka Connect worker (pid {}) exited unexpectedly with status {}; log: {}", exited.pid(),
                    exited.exitValue(), logFile());
            if (!autoRestart) {
                log.warn("Auto-restart is off: the Kafka Connect worker stays down");
                process = null;
                return;
            }
            boolean ranLongEnough = System.nanoTime() - launchedAt > STABLE_RUN.toNanos();
            restartDelayMillis = ranLongEnough ? 1_000 : Math.min(restartDelayMillis * 2, 30_000);
            long delay = restartDelayMillis;
            supervisor.schedule(() -> restartAfterCrash(exited), delay, TimeUnit.MILLISECONDS);
            log.info("Starting the Kafka Connect worker again in {} ms", delay);
        }
    }

    private synchronized void restartAfterCrash(Process crashed) {
        if (!running || process != crashed) {
            return;
        }
        restarts++;
        launch();
        log.info("Kafka Connect worker started again (pid {}, restart {})", process.pid(), restarts);
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(restUrl() + "/").toURL().openConnection();
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(2_000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void closeStdin(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka Connect worker", e);
        }
    }
}
