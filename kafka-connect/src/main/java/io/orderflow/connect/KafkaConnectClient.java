package io.orderflow.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The few calls of Kafka Connect's REST API that orderflow makes: whether the cluster answers, the connectors with
 * their status, and creating or updating a connector ({@code PUT /connectors/{name}/config}, which does either).
 */
public final class KafkaConnectClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http;

    public KafkaConnectClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Whether the REST API answers {@code GET /} with 200 (a worker that has joined its group answers). */
    public boolean isReachable() {
        try {
            return send(HttpRequest.newBuilder(URI.create(baseUrl + "/")).GET().timeout(Duration.ofSeconds(3))
                    .build()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** One connector and its tasks as the cluster reports them. */
    public record ConnectorStatus(String name, String type, String state, String workerId, String trace,
                                  List<TaskStatus> tasks, Map<String, String> config) {
    }

    /** One task of a connector. */
    public record TaskStatus(int id, String state, String workerId, String trace) {
    }

    /** Every connector with its status and configuration ({@code GET /connectors?expand=status&expand=info}). */
    public List<ConnectorStatus> connectors() throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(baseUrl + "/connectors?expand=status&expand=info")).GET().timeout(TIMEOUT).build());
        if (response.statusCode() != 200) {
            throw new IOException("Kafka Connect answered " + response.statusCode() + ": " + message(response));
        }
        List<ConnectorStatus> connectors = new ArrayList<>();
        JsonNode all = JSON.readTree(response.body());
        for (Map.Entry<String, JsonNode> entry : all.properties()) {
            JsonNode status = entry.getValue().path("status");
            JsonNode info = entry.getValue().path("info");
            List<TaskStatus> tasks = new ArrayList<>();
            for (JsonNode task : status.path("tasks")) {
                tasks.add(new TaskStatus(task.path("id").asInt(), task.path("state").asText(null),
                        task.path("worker_id").asText(null), task.path("trace").asText(null)));
            }
            tasks.sort(Comparator.comparingInt(TaskStatus::id));
            Map<String, String> config = JSON.convertValue(info.path("config"),
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            connectors.add(new ConnectorStatus(entry.getKey(), status.path("type").asText(info.path("type")
                    .asText(null)), status.path("connector").path("state").asText(null),
                    status.path("connector").path("worker_id").asText(null),
                    status.path("connector").path("trace").asText(null), List.copyOf(tasks),
                    config == null ? Map.of() : config));
        }
        connectors.sort(Comparator.comparing(ConnectorStatus::name));
        return connectors;
    }

    /** What applying a connector file did. */
    public enum Applied { CREATED, UPDATED }

    /**
     * Creates the connector, or updates its configuration if it exists. A configuration the cluster refuses (an
     * unknown class, a failed validation) is an {@link IllegalArgumentException} with Connect's message.
     */
    public Applied apply(ConnectorFile file) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/connectors/"
                        + URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20") + "/config"))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(file.config())))
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .build();
        HttpResponse<String> response = send(request);
        return switch (response.statusCode()) {
            case 201 -> Applied.CREATED;
            case 200 -> Applied.UPDATED;
            case 400, 404, 422 -> throw new IllegalArgumentException("Kafka Connect refused connector "
                    + file.name() + " (" + response.statusCode() + "): " + message(response));
            default -> throw new IOException("Kafka Connect answered " + response.statusCode() + " for connector "
                    + file.name() + ": " + message(response));
        };
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling Kafka Connect", e);
        }
    }

    private static String message(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.hasNonNull("message")) {
                return body.get("message").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw body
        }
        String body = response.body();
        return body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
