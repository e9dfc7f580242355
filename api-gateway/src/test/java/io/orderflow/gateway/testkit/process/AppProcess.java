package io.orderflow.gateway.testkit.process;

import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OpenApiCheck;
import io.orderflow.gateway.testkit.client.Tokens;
import io.orderflow.infra.support.ClassDataSharing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A packaged application ({@code orderflow.jar}, or {@code orderflow-dev.jar}) as a real child process, so that a
 * test can kill it with SIGKILL and start it again on the same {@code ORDERFLOW_HOME}. It runs unpacked
 * ({@link LaunchableJar}) with class-data sharing when the build turns it on ({@link ClassDataSharing}): the crash
 * drills start it many times.
 */
public final class AppProcess implements AutoCloseable {

    /**
     * The application's own server, started on the main thread (the development run's issuer starts one too), in a
     * plain-text line or a JSON one (the {@code prod} profile).
     */
    private static final Pattern TOMCAT_STARTED = Pattern.compile(
            "(?:\\[\\s*main\\] .*|\"thread\":\\{\"name\":\"main\"}.*\"message\":\")Tomcat started on port (\\d+)");

    private final Path jar;
    private final Path home;
    /** The HTTP port of the current run, read from its log: the application binds a free one itself. */
    private volatile int port;
    private final Path log;
    private final Map<String, String> extraEnv;

    private volatile Process process;
    private ClassDataSharing.Launch sharing = ClassDataSharing.Launch.NONE;
    private boolean asShipped;
    private long logOffset;
    private boolean cleanupRegistered;

    /** Tokens of the issuer the application trusts; null: the one its embedded infrastructure runs. */
    private final Tokens tokens;

    public AppProcess(Path jar, Path home, Map<String, String> extraEnv) {
        this(jar, home, extraEnv, null);
    }

    public AppProcess(Path jar, Path home, Map<String, String> extraEnv, Tokens tokens) {
        this.jar = jar;
        this.home = home;
        this.log = home.resolve("app.log");
        this.extraEnv = Map.copyOf(extraEnv);
        this.tokens = tokens;
    }

    /**
     * The production jar that {@code ./mvnw package} leaves in api-gateway/target: no embedded servers, so the
     * process must be given PostgreSQL, Kafka, an SMTP server and a payment provider (ADR 0017).
     */
    public static Path productionJar() {
        return packaged("orderflow.jar");
    }

    /** The development jar beside it, which starts PostgreSQL, Kafka, SMTP and the simulator under its home. */
    public static Path developmentJar() {
        return packaged("orderflow-dev.jar");
    }

    private static Path packaged(String name) {
        Path jar = Path.of("target", name).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged application at " + jar + "; run the package phase first");
        }
        return jar;
    }

    /** Starts the application and waits until it reports itself healthy. Answers how long that took. */
    public Duration start(Duration timeout) {
        List<String> command;
        if (asShipped) {
            command = LaunchableJar.executableJarCommand(jar);
        } else {
            LaunchableJar launchable = LaunchableJar.of(jar);
            sharing = launchable.sharing();
            command = launchable.command(sharing);
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(home);
            logOffset = Files.exists(log) ? Files.size(log) : 0;
            port = 0;
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("ORDERFLOW_HOME", home.toString());
            // Port 0: the application binds a free port itself, so no other process can take it in between.
            builder.environment().put("SERVER_PORT", "0");
            builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            // No Kafka Connect worker unless the test asks for one (KafkaConnectIT): it costs a JVM and a CPU share.
            builder.environment().put("ORDERFLOW_CONNECT_EMBEDDED", "false");
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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                sharing.exited(process.exitValue());
                throw new IllegalStateException("application exited with " + process.exitValue() + "; see " + log);
            }
            if (port == 0) {
                port = boundPort();
            }
            try {
                if (port != 0 && new Http("http://127.0.0.1:" + port).get("/actuator/health/readiness").status()
                        == 200) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (RuntimeException notYetListening) {
                // keep waiting
            }
            sleep(250);
        }
        throw new IllegalStateException("application not healthy within " + timeout + "; see " + log);
    }

    /** Runs the executable jar itself ({@code java -jar}) from now on, as it is shipped: no unpacking, no sharing. */
    public AppProcess asShipped() {
        this.asShipped = true;
        return this;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the application. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                sharing.exited(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to end by itself (a crash point kills it); true if it did within the timeout. */
    public boolean awaitExit(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                sharing.exited(process.exitValue());
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The HTTP port of the current run; 0 before it has started listening. */
    public int port() {
        return port;
    }

    /** The application's API, called as an operator. */
    public Http http() {
        if (port == 0) {
            throw new IllegalStateException("the application has not started listening yet");
        }
        String url = "http://127.0.0.1:" + port;
        Tokens issuer = tokens();
        OpenApiCheck.readDocumentAs(url, issuer.asOperator());
        return new Http(url, issuer.asOperator());
    }

    /** Tokens of the issuer the application trusts. */
    public Tokens tokens() {
        return tokens != null ? tokens : Tokens.of(home);
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
                if (process.waitFor(60, TimeUnit.SECONDS)) {
                    sharing.exited(process.exitValue());
                } else {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** The port this run's log says Tomcat started on, or 0 if it has not said so yet. */
    private int boundPort() {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logOffset);
            Matcher started = TOMCAT_STARTED.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return started.find() ? Integer.parseInt(started.group(1)) : 0;
        } catch (IOException e) {
            return 0;
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
