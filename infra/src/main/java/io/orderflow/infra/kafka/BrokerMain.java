package io.orderflow.infra.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * The main class of one Kafka broker child JVM started by {@link KafkaCluster}.
 *
 * <p>It formats the storage directory if it has never been formatted, then runs a combined broker and controller
 * (KRaft) until either its stdin reaches end-of-file or the JVM is asked to terminate. Its stdin is a pipe whose
 * only writer is the parent JVM, so end-of-file means the parent closed it (an orderly stop) or died (even by
 * SIGKILL); either way the broker shuts down cleanly instead of living on as an orphan that holds the ports and
 * the log directory.
 *
 * <p>Arguments: {@code <server.properties> <cluster id>}.
 */
public final class BrokerMain {

    /** How long a clean shutdown may take before the JVM halts anyway. */
    private static final long SHUTDOWN_GRACE_MILLIS = 30_000;

    private BrokerMain() {
    }

    /** Runs the broker; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain <server.properties> <cluster id>");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        String clusterId = args[1];
        PrintStream out = System.out;

        ignoreTerminalInterrupt();
        exitWhenParentGoes(out);

        Properties properties = load(config);
        formatIfNeeded(config, clusterId, properties, out);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("[BrokerMain] shutting down the broker");
            haltAfterGrace();
            server.shutdown();
            out.println("[BrokerMain] broker shut down");
        }, "broker-shutdown"));
        try {
            server.startup();
        } catch (Throwable e) {
            out.println("[BrokerMain] broker failed to start: " + e);
            e.printStackTrace(out);
            System.exit(1);
        }
        out.println("[BrokerMain] broker " + properties.getProperty("node.id") + " started");
        server.awaitShutdown();
        System.exit(0);
    }

    /**
     * Formats the log directories with Kafka's StorageTool unless every one already holds {@code meta.properties}.
     * {@code StorageTool.main} would end the JVM through Kafka's Exit; {@code execute} returns a status instead.
     */
    static void formatIfNeeded(Path config, String clusterId, Properties properties, PrintStream out) {
        List<Path> directories = logDirectories(properties);
        if (directories.stream().allMatch(dir -> Files.exists(dir.resolve("meta.properties")))) {
            return;
        }
        out.println("[BrokerMain] formatting " + directories + " for cluster " + clusterId);
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "format", "--config", config.toString(), "--cluster-id", clusterId, "--ignore-formatted"));
        // A secured cluster's principals get their SCRAM credentials in the metadata from the start.
        Path scram = config.resolveSibling(config.getFileName() + ".scram");
        try {
            if (Files.exists(scram)) {
                for (String credential : Files.readAllLines(scram)) {
                    if (!credential.isBlank()) {
                        arguments.add("--add-scram");
                        arguments.add(credential.trim());
                    }
                }
            }
        } catch (java.io.IOException e) {
            out.println("[BrokerMain] cannot read " + scram + ": " + e);
            System.exit(3);
        }
        int status = StorageTool.execute(arguments.toArray(String[]::new), out);
        if (status != 0) {
            out.println("[BrokerMain] formatting the storage failed with status " + status);
            System.exit(3);
        }
    }

    static List<Path> logDirectories(Properties properties) {
        String dirs = properties.getProperty("log.dirs", properties.getProperty("log.dir"));
        if (dirs == null) {
            throw new IllegalArgumentException("server.properties names no log.dirs");
        }
        return Arrays.stream(dirs.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    private static Properties load(Path config) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** Reads stdin on a daemon thread; end-of-file (or a read error) starts a clean shutdown of this JVM. */
    private static void exitWhenParentGoes(PrintStream out) {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // The parent never writes; anything it might send is ignored.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end-of-file: the parent is gone.
            }
            out.println("[BrokerMain] stdin closed: the parent stopped or died; exiting");
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void haltAfterGrace() {
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("[BrokerMain] clean shutdown took longer than " + SHUTDOWN_GRACE_MILLIS
                    + " ms; halting");
            Runtime.getRuntime().halt(4);
        }, "shutdown-deadline");
        halter.setDaemon(true);
        halter.start();
    }

    /**
     * A Ctrl-C in a terminal signals the whole foreground process group, children included. The parent must stop
     * the brokers only after the application has closed (its Kafka clients flush first), so the child ignores
     * SIGINT and waits for its stdin to close. sun.misc.Signal is reached reflectively because it is not a public
     * API; where it is missing the broker simply stops on Ctrl-C like any JVM.
     */
    private static void ignoreTerminalInterrupt() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object ignore = handlerClass.getField("SIG_IGN").get(null);
            Object interrupt = signalClass.getConstructor(String.class).newInstance("INT");
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, interrupt, ignore);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.out.println("[BrokerMain] could not ignore SIGINT: " + e);
        }
    }
}
