package io.orderflow.gateway.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code java -jar orderflow.jar}) as a real child process, so that a test can kill it
 * with SIGKILL and start it again on the same {@code ORDERFLOW_HOME}.
 */
public final class AppProcess implements AutoCloseable {

    private final Path jar;
    private final Path home;
    private final int port;
    private final Path log;
    private final Map<String, String> extraEnv;
    private volatile Process process;
    private boolean cleanupRegistered;

    public AppProcess(Path jar, Path home, Map<String, String> extraEnv) {
        this.jar = jar;
        this.home = home;
        this.port = freePort();
        this.log = home.resolve("app.log");
        this.extraEnv = Map.copyOf(extraEnv);
    }

    /** The executable jar that {@code ./mvnw package} leaves in api-gateway/target. */
    public static Path packagedJar() {
        Path jar = Path.of("target", "orderflow.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged application at " + jar + "; run the package phase first");
        }
        return jar;
    }

    /** Starts the application and waits until it reports itself healthy. Answers how long that took. */
    public Duration start(Duration timeout) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(home);
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xmx768m", "-XX:+UseSerialGC",
                    "-Daxoniq.update-checker.disabled=true", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("ORDERFLOW_HOME", home.toString());
            builder.environment().put("SERVER_PORT", Integer.toString(port));
            builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            builder.environment().putAll(extraEnv);
            process = builder.start();
            if (!cleanupRegistered) {
                // A test JVM stopped midway (Ctrl-C, a build timeout) must not leave the application running.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    Process running = process;
                    if (running != null && running.isAlive()) {
                        running.destroyForcibly();
                    }
                }, "app-process-cleanup"));
                cleanupRegistered = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http http = http();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("application exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.get("/actuator/health").status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (RuntimeException notYetListening) {
                // keep waiting
            }
            sleep(250);
        }
        throw new IllegalStateException("application not healthy within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the application. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to end by itself (a crash point kills it); true if it did within the timeout. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Http http() {
        return new Http("http://127.0.0.1:" + port);
    }

    /** The endpoints the embedded infrastructure wrote for operators: JDBC URL and Kafka bootstrap servers. */
    public Properties endpoints() {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(home.resolve("endpoints.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
