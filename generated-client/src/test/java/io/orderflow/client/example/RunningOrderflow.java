package io.orderflow.client.example;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * orderflow as the README's first command runs it: the development jar in a process of its own, with PostgreSQL,
 * Kafka and the rest started for it under a fresh {@code ORDERFLOW_HOME} in {@code target/}. Its log goes to
 * {@code target/walkthrough-app.log}.
 */
final class RunningOrderflow implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final Process process;
    private final String baseUri;
    private final Path home;

    private RunningOrderflow(Process process, String baseUri, Path home) {
        this.process = process;
        this.baseUri = baseUri;
        this.home = home;
    }

    /** Starts the jar named by the system property {@code orderflow.dev-jar} and waits until it is healthy. */
    static RunningOrderflow start() throws IOException, InterruptedException {
        String jar = System.getProperty("orderflow.dev-jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no development jar at '" + jar + "': run through Maven (./mvnw verify), "
                    + "which builds api-gateway first and passes its path as -Dorderflow.dev-jar");
        }
        int port = freePort();
        Path home = Path.of("target", "walkthrough-home-" + UUID.randomUUID()).toAbsolutePath();
        Path log = Path.of("target", "walkthrough-app.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("ORDERFLOW_HOME", home.toString());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        RunningOrderflow running = new RunningOrderflow(builder.start(), "http://127.0.0.1:" + port, home);
        running.awaitHealthy(log);
        return running;
    }

    String baseUri() {
        return baseUri;
    }

    /**
     * A token of the development issuer, as a script gets one: the client-credentials grant with a client that
     * {@code ORDERFLOW_HOME/endpoints.properties} names ({@code operator}, {@code shop}, {@code dev-customers}).
     */
    String token(String client, String extraParameters) throws IOException, InterruptedException {
        Properties endpoints = new Properties();
        try (Reader reader = Files.newBufferedReader(home.resolve("endpoints.properties"))) {
            endpoints.load(reader);
        }
        String credentials = endpoints.getProperty("auth." + client + ".client-id") + ":"
                + endpoints.getProperty("auth." + client + ".client-secret");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(endpoints.getProperty("auth.token-endpoint")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials" + extraParameters))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no token for " + client + ": " + response.body());
        }
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (!token.find()) {
            throw new IllegalStateException("no access_token in " + response.body());
        }
        return token.group(1);
    }

    private void awaitHealthy(Path log) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("orderflow exited with " + process.exitValue() + " while starting; "
                        + "see " + log);
            }
            try {
                HttpResponse<Void> health = client.send(HttpRequest.newBuilder(URI.create(baseUri
                        + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("orderflow was not healthy within " + START_TIMEOUT + "; see " + log);
    }

    /** Stops the application as an operator would (SIGTERM), so that it stops its embedded servers too. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
