package io.orderflow.connect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installer against a stand-in of Connect's REST API (the real worker is {@code KafkaConnectIT}'s): it waits for
 * the cluster, creates or updates each file, goes on after a refused file, retries a rebalancing cluster, and gives
 * up on a cluster that never answers.
 */
class ConnectorInstallerTest {

    private HttpServer server;
    private final AtomicInteger rootCalls = new AtomicInteger();
    private final List<String> puts = new CopyOnWriteArrayList<>();
    private volatile int unreachableCalls;
    private volatile Map<String, List<Integer>> answers = Map.of();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void waitsForTheCluster_thenCreatesOrUpdatesEachFile_andReportsARefusalWithConnectsMessage() {
        unreachableCalls = 3;
        answers = Map.of("a", List.of(201), "b", List.of(200), "c", List.of(400));
        ConnectorInstaller installer = installer(Duration.ofSeconds(30));

        installer.install(List.of(file("a"), file("b"), file("c")));

        assertThat(rootCalls.get()).isGreaterThan(3);
        assertThat(puts).containsExactly("/connectors/a/config", "/connectors/b/config", "/connectors/c/config");
        assertThat(installer.outcomes().get("a").state()).isEqualTo(ConnectorInstaller.State.CREATED);
        assertThat(installer.outcomes().get("b").state()).isEqualTo(ConnectorInstaller.State.UPDATED);
        assertThat(installer.outcomes().get("c").state()).isEqualTo(ConnectorInstaller.State.REFUSED);
        assertThat(installer.outcomes().get("c").message()).contains("Connector configuration is invalid: c");
    }

    @Test
    void aClusterThatIsRebalancingIsAskedAgain() {
        answers = Map.of("a", List.of(409, 409, 201));
        ConnectorInstaller installer = installer(Duration.ofSeconds(30));

        installer.install(List.of(file("a")));

        assertThat(puts).hasSize(3);
        assertThat(installer.outcomes().get("a").state()).isEqualTo(ConnectorInstaller.State.CREATED);
    }

    @Test
    void aClusterThatNeverAnswersIsGivenUpOnAfterTheTimeout() {
        unreachableCalls = Integer.MAX_VALUE;
        ConnectorInstaller installer = installer(Duration.ofSeconds(2));

        installer.install(List.of(file("a")));

        assertThat(puts).isEmpty();
        assertThat(installer.outcomes().get("a").state()).isEqualTo(ConnectorInstaller.State.FAILED);
        assertThat(installer.outcomes().get("a").message()).contains("did not answer within PT2S");
    }

    private ConnectorInstaller installer(Duration timeout) {
        return new ConnectorInstaller("http://127.0.0.1:" + server.getAddress().getPort() + "/", true, timeout);
    }

    private static ConnectorFile file(String name) {
        return new ConnectorFile(name, Map.of("connector.class", "Example"), name + ".json");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/")) {
            int call = rootCalls.incrementAndGet();
            respond(exchange, call <= unreachableCalls ? 503 : 200, "{\"version\": \"4.1.1\"}");
            return;
        }
        puts.add(path);
        String name = path.split("/")[2];
        List<Integer> planned = answers.getOrDefault(name, List.of(201));
        long earlier = puts.stream().filter(put -> put.equals(path)).count() - 1;
        int status = planned.get((int) Math.min(earlier, planned.size() - 1));
        respond(exchange, status, status >= 400
                ? "{\"error_code\": " + status + ", \"message\": \"Connector configuration is invalid: " + name + "\"}"
                : "{\"name\": \"" + name + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
