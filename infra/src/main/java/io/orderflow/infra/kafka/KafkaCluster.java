package io.orderflow.infra.kafka;

import io.orderflow.infra.support.ClassDataSharing;
import io.orderflow.infra.support.LocalPorts;
import io.orderflow.infra.support.OwnerOnlyFiles;
import io.orderflow.topics.TopicInitializer;
import io.orderflow.topics.Topics;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster of real Apache Kafka brokers in KRaft mode, each a separate child JVM running {@link BrokerMain}.
 *
 * <p>Every node is a combined broker and controller; the controller quorum is the static list of all nodes. All
 * listeners are on 127.0.0.1. Broker {@code i} keeps its configuration, log and data under {@code <dir>/broker-i};
 * the cluster id and size are kept in {@code <dir>/cluster.properties} so that a restart on the same directory
 * finds its data. With
 * three or more brokers, topics default to replication factor 3 and {@code min.insync.replicas=2}; with fewer, to
 * what the brokers can hold. Topics are never created automatically: see {@link TopicInitializer}.
 *
 * <p>Child JVMs rather than brokers inside this JVM, because a test must be able to kill one with SIGKILL. A broker
 * exits by itself when this JVM dies (its stdin is a pipe from here), so no orphan holds the ports or the data.
 *
 * <p>A supervisor restarts a broker that dies unexpectedly (same id, ports and directory) after a short, growing
 * delay, so the cluster heals; {@link #setAutoRestart(boolean)} turns that off for tests that keep a broker down.
 */
public final class KafkaCluster {

    /** Options for each broker JVM: a modest heap, since several brokers share a small machine with the app. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);

    private static final Duration STOP_WAIT = Duration.ofSeconds(40);
    private static final long FIRST_RESTART_DELAY_MILLIS = 1_000;
    private static final long MAX_RESTART_DELAY_MILLIS = 30_000;
    private static final Duration STABLE_RUN = Duration.ofSeconds(30);
    private static final long LOG_ROTATE_BYTES = 20L * 1024 * 1024;

    private final Path directory;
    private final List<Broker> brokers;
    private final ScheduledExecutorService supervisor;

    private volatile boolean running;
    private volatile boolean autoRestart = true;
    private volatile Duration startTimeout = Duration.ofSeconds(120);
    private volatile List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    private String clusterId;
    private Duration lastStartDuration = Duration.ZERO;
    private volatile KafkaSecurity security;

    /** A cluster of {@code size} brokers under {@code directory}, on free ports chosen now. */
    public KafkaCluster(Path directory, int size) {
        this(directory, size, 0);
    }

    /**
     * A cluster of {@code size} brokers under {@code directory}.
     *
     * @param basePort 0 to choose free ports now; otherwise broker {@code i} listens on {@code basePort + i} and
     *                 its controller on {@code basePort + size + i}
     */
    public KafkaCluster(Path directory, int size, int basePort) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker, asked for " + size);
        }
        this.directory = directory.toAbsolutePath().normalize();
        int[] ports = basePort == 0
                ? LocalPorts.pickFree(2 * size)
                : IntStream.range(0, 2 * size).map(i -> basePort + i).toArray();
        List<Broker> nodes = new ArrayList<>(size);
        for (int id = 0; id < size; id++) {
            nodes.add(new Broker(id, this.directory.resolve("broker-" + id), ports[id], ports[size + id]));
        }
        this.brokers = List.copyOf(nodes);
        this.supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Makes the cluster listen with SASL (SCRAM-SHA-512) over TLS, authorize every request against the ACLs of
     * {@link KafkaPrincipal} and nothing else; call it before the first start. A cluster whose storage was formatted
     * without credentials refuses to start secured.
     */
    public synchronized KafkaCluster secured() {
        if (running) {
            throw new IllegalStateException("secure the cluster before it starts");
        }
        security = KafkaSecurity.loadOrCreate(directory.resolve("security"));
        return this;
    }

    /** The security material of a secured cluster, empty for a plaintext one. */
    public java.util.Optional<KafkaSecurity> security() {
        return java.util.Optional.ofNullable(security);
    }

    /** A client's settings as {@code principal}: the bootstrap servers, and the security settings if secured. */
    public Map<String, Object> clientSettings(KafkaPrincipal principal) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (security != null) {
            settings.putAll(security.clientSettings(principal));
        }
        return settings;
    }

    /**
     * Starts every broker in parallel and waits until all have registered with the controller quorum and each
     * broker's metadata lists all of them. Does nothing if the cluster is running.
     *
     * @throws IllegalStateException if a broker exits or the cluster is not ready within the start timeout; the
     *                               message carries the end of the failing broker's log
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(directory);
            clusterId = loadOrCreateClusterId();
            for (Broker broker : brokers) {
                requireCredentialsIfSecured(broker);
                writeConfiguration(broker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the Kafka directories under " + directory, e);
        }
        brokers.forEach(this::launch);
        try {
            awaitReady(brokers, brokers.stream().map(b -> b.id).collect(Collectors.toSet()), startTimeout);
        } catch (RuntimeException e) {
            brokers.forEach(broker -> destroy(broker));
            throw e;
        }
        if (security != null) {
            applyAcls();
        }
        running = true;
        lastStartDuration = Duration.ofNanos(System.nanoTime() - started);
        log.info("Kafka cluster of {} broker(s) ready at {} in {} ms (cluster id {}, data in {})", size(),
                bootstrapServers(), lastStartDuration.toMillis(), clusterId, directory);
    }

    /**
     * Stops every broker cleanly (their stdin is closed, each shuts down in parallel) and waits for them; a broker
     * that does not stop within 40 s is killed. The cluster can be started again on the same directory and ports.
     */
    public synchronized void stop() {
        running = false;
        long started = System.nanoTime();
        List<Broker> stopping = new ArrayList<>();
        for (Broker broker : brokers) {
            synchronized (broker) {
                broker.cancelPendingRestart();
                if (broker.process != null && broker.process.isAlive()) {
                    closeStdin(broker.process);
                    stopping.add(broker);
                }
            }
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Broker broker : stopping) {
            Process process = broker.process;
            try {
                long remaining = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                    log.warn("Kafka broker {} (pid {}) did not stop within {} s; killing it", broker.id,
                            process.pid(), STOP_WAIT.toSeconds());
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (!stopping.isEmpty()) {
            log.info("Kafka cluster stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
    }

    /** {@code 127.0.0.1:port} of every broker, comma-separated. */
    public String bootstrapServers() {
        return brokers.stream().map(b -> LocalPorts.LOOPBACK + ":" + b.port).collect(Collectors.joining(","));
    }

    /** The number of brokers. */
    public int size() {
        return brokers.size();
    }

    /**
     * A topic initializer for this cluster, with the replication factor taken from its size rather than from
     * describeCluster, which counts only the brokers alive (and known to the broker asked) at that moment.
     */
    public TopicInitializer topicInitializer() {
        return new TopicInitializer(bootstrapServers())
                .withReplicationFactor(Topics.defaultReplicationFactor(size()));
    }

    /** Whether {@link #start()} has completed and {@link #stop()} has not been called since. */
    public boolean isRunning() {
        return running;
    }

    /**
     * Kills broker {@code nodeId} with SIGKILL, as a crash would, and waits until it is gone. The supervisor
     * restarts it unless auto-restart is off.
     */
    public void kill(int nodeId) {
        Broker broker = broker(nodeId);
        Process process;
        synchronized (broker) {
            process = broker.process;
            if (process == null || !process.isAlive()) {
                return;
            }
            log.info("Killing Kafka broker {} (pid {}) with SIGKILL", nodeId, process.pid());
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts broker {@code nodeId} if it is not running (for example after {@link #kill(int)} with auto-restart
     * off) and waits until every running broker lists it as alive again.
     */
    public void startBroker(int nodeId) {
        Broker broker = broker(nodeId);
        if (clusterId() == null) {
            throw new IllegalStateException("Start the cluster before starting single brokers");
        }
        synchronized (broker) {
            broker.cancelPendingRestart();
            if (broker.process == null || !broker.process.isAlive()) {
                launch(broker);
            }
        }
        // Every running broker must know it again, not only the broker itself.
        List<Broker> running = brokers.stream().filter(b -> b == broker || isAlive(b.id)).toList();
        awaitReady(running, Set.of(nodeId), startTimeout);
    }

    /** The port broker {@code nodeId} listens on for clients. */
    public int port(int nodeId) {
        return broker(nodeId).port;
    }

    /**
     * Makes broker {@code nodeId} tell clients (and the other brokers) to reach it at {@code port} instead of its own
     * listener, so that a proxy on that port can stand between the broker and everyone else. Call it before
     * {@link #start()}, with the proxy already listening.
     */
    public void advertisePort(int nodeId, int port) {
        broker(nodeId).advertisedPort = port;
    }

    /** Whether broker {@code nodeId}'s JVM is alive. */
    public boolean isAlive(int nodeId) {
        Process process = broker(nodeId).process;
        return process != null && process.isAlive();
    }

    /** The process id of broker {@code nodeId}'s current JVM, or -1 if it was never started. */
    public long pid(int nodeId) {
        Process process = broker(nodeId).process;
        return process == null ? -1 : process.pid();
    }

    /** How often the supervisor has restarted broker {@code nodeId}. */
    public int restartCount(int nodeId) {
        return broker(nodeId).restarts;
    }

    /** Whether the supervisor restarts a broker that dies unexpectedly (on by default). */
    public void setAutoRestart(boolean autoRestart) {
        this.autoRestart = autoRestart;
        if (!autoRestart) {
            brokers.forEach(broker -> {
                synchronized (broker) {
                    broker.cancelPendingRestart();
                }
            });
        }
    }

    /** Whether the supervisor restarts brokers that die. */
    public boolean isAutoRestart() {
        return autoRestart;
    }

    /** How long {@link #start()} and {@link #startBroker(int)} wait for readiness (default 120 s). */
    public void setStartTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
    }

    /** Options for the broker JVMs, replacing {@link #DEFAULT_JVM_OPTIONS}; applies to brokers started later. */
    public void setJvmOptions(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The cluster id, known once the cluster has been started. */
    public synchronized String clusterId() {
        return clusterId;
    }

    /** The directory holding every broker's directory and {@code cluster.properties}. */
    public Path directory() {
        return directory;
    }

    /** Broker {@code nodeId}'s log file (its JVM's stdout and stderr). */
    public Path logFile(int nodeId) {
        return broker(nodeId).logFile();
    }

    /** How long the last successful {@link #start()} took. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + bootstrapServers() + ", data=" + directory + "]";
    }

    private Broker broker(int nodeId) {
        if (nodeId < 0 || nodeId >= brokers.size()) {
            throw new IllegalArgumentException("no broker " + nodeId + " in a cluster of " + brokers.size());
        }
        return brokers.get(nodeId);
    }

    private void launch(Broker broker) {
        synchronized (broker) {
            try {
                awaitPreviousBrokerGone(broker);
                rotateLogIfLarge(broker.logFile());
                String classPath = brokerClassPath(System.getProperty("java.class.path"));
                ClassDataSharing.Launch sharing = ClassDataSharing.forLaunch(classPath, BrokerMain.class.getName());
                List<String> options = new ArrayList<>(brokerJvmOptions(broker));
                options.addAll(sharing.options());
                List<String> command = ChildJvmCommand.build(ChildJvmCommand.javaExecutable(), classPath,
                        BrokerMain.class.getName(), options, List.of(broker.configFile().toString(), clusterId));
                Process process = new ProcessBuilder(command)
                        .directory(broker.directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(broker.logFile().toFile()))
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
                broker.process = process;
                broker.launchedAt = System.nanoTime();
                process.onExit().thenAcceptAsync(exited -> {
                    sharing.exited(exited.exitValue());
                    onExit(broker, exited);
                }, supervisor);
                log.debug("Kafka broker {} launched as pid {} (log {})", broker.id, process.pid(), broker.logFile());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not launch Kafka broker " + broker.id, e);
            }
        }
    }

    /**
     * A broker of an earlier run whose parent died shuts down by itself, but that takes a few seconds (up to the
     * controller quorum's 5 s shutdown wait with several brokers). A start in that window would fail on Kafka's
     * lock of the log directory, so wait while another process holds that lock.
     */
    private static void awaitPreviousBrokerGone(Broker broker) throws IOException {
        Path lockFile = broker.dataDirectory().resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        boolean logged = false;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            while (true) {
                try (FileLock lock = channel.tryLock()) {
                    if (lock != null) {
                        return;
                    }
                }
                if (!logged) {
                    log.warn("Another process still holds {}: waiting for the broker of an earlier run to exit",
                            lockFile);
                    logged = true;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Another process still holds " + lockFile + " after "
                            + STOP_WAIT.toSeconds() + " s; is another Kafka broker using " + broker.dataDirectory()
                            + "?");
                }
                sleep(200);
            }
        }
    }

    /**
     * The class path a broker runs on: this JVM's, without its class directories when the broker's own classes come
     * from a jar. Under Maven the tests' class path holds the module's {@code target/classes} and
     * {@code target/test-classes}; a broker needs nothing from them, and only a class path of jars can share classes
     * between broker starts ({@link ClassDataSharing}).
     */
    static String brokerClassPath(String classPath) {
        return brokerClassPath(classPath, isJar(BrokerMain.class.getProtectionDomain().getCodeSource()));
    }

    static String brokerClassPath(String classPath, boolean brokerInAJar) {
        if (classPath == null || !brokerInAJar) {
            return classPath;
        }
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !Files.isDirectory(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean isJar(CodeSource source) {
        try {
            return source != null && source.getLocation() != null
                    && Files.isRegularFile(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException notAFile) {
            // Inside a Spring Boot executable jar the location is a nested jar; the class path is that one jar then.
            return false;
        }
    }

    private List<String> brokerJvmOptions(Broker broker) {
        List<String> options = new ArrayList<>(jvmOptions);
        // Without its own configuration, logback (on the class path of the app and the tests) would log at DEBUG.
        options.add("-Dlogback.configurationFile=" + broker.directory.resolve("logback.xml"));
        options.add("-Dorderflow.kafka.node=" + broker.id);
        return options;
    }

    /** The supervisor: decides whether a broker that exited is restarted. */
    private void onExit(Broker broker, Process exited) {
        closeStdin(exited);
        long delay;
        synchronized (broker) {
            if (broker.process != exited || !running) {
                return;
            }
            log.warn("Kafka broker {} (pid {}) exited unexpectedly with status {}; log: {}", broker.id,
                    exited.pid(), exited.exitValue(), broker.logFile());
            if (!autoRestart) {
                log.warn("Auto-restart is off: Kafka broker {} stays down", broker.id);
                return;
            }
            boolean ranLongEnough = System.nanoTime() - broker.launchedAt > STABLE_RUN.toNanos();
            broker.restartDelayMillis = ranLongEnough
                    ? FIRST_RESTART_DELAY_MILLIS
                    : Math.min(MAX_RESTART_DELAY_MILLIS, Math.max(FIRST_RESTART_DELAY_MILLIS,
                    broker.restartDelayMillis * 2));
            delay = broker.restartDelayMillis;
            broker.pendingRestart = supervisor.schedule(() -> restart(broker), delay, TimeUnit.MILLISECONDS);
        }
        log.info("Restarting Kafka broker {} in {} ms", broker.id, delay);
    }

    private void restart(Broker broker) {
        synchronized (broker) {
            broker.pendingRestart = null;
            if (!running || !autoRestart || (broker.process != null && broker.process.isAlive())) {
                return;
            }
            try {
                launch(broker);
                broker.restarts++;
                log.info("Kafka broker {} restarted as pid {} (restart #{})", broker.id, broker.process.pid(),
                        broker.restarts);
            } catch (RuntimeException e) {
                log.error("Could not restart Kafka broker {}", broker.id, e);
            }
        }
    }

    /**
     * Waits until each broker in {@code starting} accepts connections and lists every broker of
     * {@code mustBeListed} as alive. Each broker is asked through an admin client bootstrapped at that broker,
     * because brokers learn of each other from the metadata log at slightly different moments.
     */
    private void awaitReady(Collection<Broker> starting, Set<Integer> mustBeListed, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Broker broker : starting) {
            while (!LocalPorts.isListening(broker.port, 500)) {
                checkAliveAndInTime(broker, deadline, timeout);
                sleep(200);
            }
        }
        for (Broker broker : starting) {
            try (Admin admin = Admin.create(adminConfig(broker))) {
                while (!listsAll(admin, mustBeListed)) {
                    checkAliveAndInTime(broker, deadline, timeout);
                    sleep(200);
                }
            }
        }
    }

    private static boolean listsAll(Admin admin, Set<Integer> ids) {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get().stream()
                    .map(Node::id).collect(Collectors.toSet()).containsAll(ids);
        } catch (java.util.concurrent.ExecutionException e) {
            log.debug("Kafka not ready yet: {}", e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    private void checkAliveAndInTime(Broker broker, long deadline, Duration timeout) {
        Process process = broker.process;
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Kafka broker " + broker.id + " exited during start-up"
                    + (process == null ? "" : " with status " + process.exitValue()) + "; last lines of "
                    + broker.logFile() + ":\n" + tail(broker.logFile(), 40));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka broker " + broker.id + " was not ready within " + timeout.toSeconds()
                    + " s; last lines of " + broker.logFile() + ":\n" + tail(broker.logFile(), 40));
        }
    }

    private Map<String, Object> adminConfig(Broker broker) {
        Map<String, Object> config = new LinkedHashMap<>();
        if (security != null) {
            config.putAll(security.clientSettings(KafkaPrincipal.BROKER));
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalPorts.LOOPBACK + ":" + broker.port);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "orderflow-kafka-readiness-" + broker.id);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return config;
    }

    private void destroy(Broker broker) {
        Process process;
        synchronized (broker) {
            process = broker.process;
        }
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The cluster id and size are kept in {@code cluster.properties}: the id must match what the brokers' storage
     * was formatted with, and the static controller quorum must keep the same members, so a later start with
     * another number of brokers on the same directory is refused with an explanation.
     */
    private String loadOrCreateClusterId() throws IOException {
        Path file = directory.resolve("cluster.properties");
        Properties cluster = new Properties();
        if (Files.isRegularFile(file)) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                cluster.load(reader);
            }
        }
        String recordedSize = cluster.getProperty("brokers");
        if (recordedSize != null && !recordedSize.equals(Integer.toString(size()))) {
            throw new IllegalStateException("The Kafka data in " + directory + " belongs to a cluster of "
                    + recordedSize + " broker(s), not " + size() + ": its controller quorum cannot change size. "
                    + "Use " + recordedSize + " broker(s), or delete " + directory + " to start afresh.");
        }
        String id = cluster.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            // A formatted broker knows the id even if the file was deleted; a new id would make it refuse to start.
            id = brokers.stream().map(broker -> clusterIdFormattedIn(broker.dataDirectory()))
                    .filter(known -> known != null).findFirst().orElseGet(() -> Uuid.randomUuid().toString());
        }
        String text = "# The identity of this Kafka cluster; its brokers' storage is formatted with this id.\n"
                + "cluster.id=" + id + "\nbrokers=" + size() + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return id;
    }

    private static String clusterIdFormattedIn(Path dataDirectory) {
        Path meta = dataDirectory.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            return null;
        }
        String id = properties.getProperty("cluster.id");
        return id == null || id.isBlank() ? null : id;
    }

    private void writeConfiguration(Broker broker) throws IOException {
        Files.createDirectories(broker.dataDirectory());
        int size = brokers.size();
        int replicationFactor = Math.min(3, size);
        int minInSync = replicationFactor >= 3 ? 2 : 1;
        String voters = brokers.stream()
                .map(b -> b.id + "@" + LocalPorts.LOOPBACK + ":" + b.controllerPort)
                .collect(Collectors.joining(","));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(broker.id));
        config.put("controller.quorum.voters", voters);
        String clients = security == null ? "PLAINTEXT" : "CLIENT";
        config.put("listeners", clients + "://" + LocalPorts.LOOPBACK + ":" + broker.port
                + ",CONTROLLER://" + LocalPorts.LOOPBACK + ":" + broker.controllerPort);
        config.put("advertised.listeners", clients + "://" + LocalPorts.LOOPBACK + ":" + broker.advertisedPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", clients);
        if (security == null) {
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            Files.deleteIfExists(broker.scramFile());
        } else {
            config.putAll(security.brokerSettings(clients, "CONTROLLER"));
            // Read by BrokerMain when it formats the storage: every principal's SCRAM credential, from the start.
            OwnerOnlyFiles.write(broker.scramFile(), String.join("\n", security.scramCredentials()) + "\n");
        }
        config.put("log.dirs", broker.dataDirectory().toString());
        config.put("auto.create.topics.enable", "false");
        config.put("unclean.leader.election.enable", "false");
        config.put("default.replication.factor", Integer.toString(replicationFactor));
        config.put("min.insync.replicas", Integer.toString(minInSync));
        config.put("offsets.topic.replication.factor", Integer.toString(replicationFactor));
        config.put("transaction.state.log.replication.factor", Integer.toString(replicationFactor));
        config.put("transaction.state.log.min.isr", Integer.toString(minInSync));
        // Fewer internal partitions than the default 50: they are created on first use and slow that first use.
        config.put("offsets.topic.num.partitions", "10");
        config.put("transaction.state.log.num.partitions", "10");
        config.put("group.initial.rebalance.delay.ms", "0");
        // A killed broker is fenced after the session timeout; its partitions' leadership moves only then.
        config.put("broker.heartbeat.interval.ms", "1000");
        config.put("broker.session.timeout.ms", "6000");
        // The defaults suit a dedicated server; these keep threads and heap use modest on a small shared machine.
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "4");
        config.put("num.recovery.threads.per.data.dir", "1");
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

        StringBuilder text = new StringBuilder()
                .append("# Written by orderflow's KafkaCluster at every start of broker ").append(broker.id)
                .append("; edits are overwritten.\n");
        config.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\"))
                .append('\n'));
        // Owner-only: a secured broker's settings hold the store and SCRAM passwords.
        OwnerOnlyFiles.write(broker.configFile(), text.toString());
        Files.writeString(broker.directory.resolve("logback.xml"), LOGBACK_CONFIG, StandardCharsets.UTF_8);
    }

    /**
     * Whether a broker's storage was formatted without SCRAM credentials (by a plaintext cluster), which a secured
     * cluster cannot take over.
     */
    public boolean formattedWithoutCredentials() {
        return brokers.stream().anyMatch(KafkaCluster::formattedWithoutCredentials);
    }

    /**
     * A broker's storage formatted without credentials (a plaintext cluster's) cannot be secured: its principals
     * have no SCRAM credential, and the brokers would not authenticate each other.
     */
    private void requireCredentialsIfSecured(Broker broker) {
        if (security != null && formattedWithoutCredentials(broker)) {
            throw new IllegalStateException("Kafka broker " + broker.id + " in " + broker.directory + " was formatted "
                    + "without credentials and cannot be secured; start it with a new Kafka directory");
        }
    }

    private static boolean formattedWithoutCredentials(Broker broker) {
        return Files.exists(broker.dataDirectory().resolve("meta.properties")) && !Files.exists(broker.scramFile());
    }

    /** Gives every principal its ACLs, as the broker principal (the super user). */
    private void applyAcls() {
        List<org.apache.kafka.common.acl.AclBinding> acls = new ArrayList<>();
        for (KafkaPrincipal principal : KafkaPrincipal.values()) {
            acls.addAll(principal.acls());
        }
        // Every principal's credential too, so that one added since the storage was formatted can sign in.
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> credentials = new ArrayList<>();
        for (KafkaPrincipal principal : KafkaPrincipal.values()) {
            if (principal != KafkaPrincipal.BROKER) {
                credentials.add(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(principal.user(),
                        new org.apache.kafka.clients.admin.ScramCredentialInfo(
                                org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192),
                        security.passwordOf(principal)));
            }
        }
        try (Admin admin = Admin.create(clientSettings(KafkaPrincipal.BROKER))) {
            admin.alterUserScramCredentials(credentials).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not give the Kafka principals their ACLs: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while giving the Kafka principals their ACLs", e);
        }
        log.info("Kafka cluster secured: SASL ({}) over TLS, {} ACLs for {}", KafkaSecurity.MECHANISM, acls.size(),
                java.util.Arrays.stream(KafkaPrincipal.values()).map(KafkaPrincipal::user).toList());
    }

    private static void closeStdin(Process process) {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException ignored) {
            // Already closed, or the child is gone: either way it sees end-of-file.
        }
    }

    private static void rotateLogIfLarge(Path logFile) throws IOException {
        if (Files.isRegularFile(logFile) && Files.size(logFile) > LOG_ROTATE_BYTES) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The last {@code lines} lines of a file, for error messages; reads at most the last 64 KiB. */
    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log file)";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    private static final String LOGBACK_CONFIG = """
            <configuration>
              <!-- Written by orderflow's KafkaCluster for the broker JVM; its stdout goes to broker.log. -->
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder>
                  <pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern>
                </encoder>
              </appender>
              <logger name="kafka.request.logger" level="WARN"/>
              <logger name="state.change.logger" level="WARN"/>
              <logger name="org.apache.kafka.clients" level="WARN"/>
              <logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
              <logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    /** One node: its fixed identity, ports and directory, and its current JVM. */
    private static final class Broker {
        final int id;
        final Path directory;
        final int port;
        final int controllerPort;
        volatile int advertisedPort;
        volatile Process process;
        long launchedAt;
        long restartDelayMillis;
        volatile int restarts;
        ScheduledFuture<?> pendingRestart;

        Broker(int id, Path directory, int port, int controllerPort) {
            this.id = id;
            this.directory = directory;
            this.port = port;
            this.controllerPort = controllerPort;
            this.advertisedPort = port;
        }

        Path dataDirectory() {
            return directory.resolve("data");
        }

        Path configFile() {
            return directory.resolve("server.properties");
        }

        /** The SCRAM credentials BrokerMain adds when it formats the storage (a secured cluster only). */
        Path scramFile() {
            return directory.resolve("server.properties.scram");
        }

        Path logFile() {
            return directory.resolve("broker.log");
        }

        void cancelPendingRestart() {
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
                pendingRestart = null;
            }
        }
    }
}
