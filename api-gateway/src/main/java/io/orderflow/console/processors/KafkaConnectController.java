package io.orderflow.console.processors;

import io.orderflow.connect.ConnectorInstaller;
import io.orderflow.connect.KafkaConnectClient;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Kafka Connect cluster this application applies its connector files to: its connectors, their tasks and their
 * state as Connect reports them, and what applying each file did (ADR 0026).
 */
@RestController
class KafkaConnectController {

    /** Traces are whole stack traces; the dashboard shows their start. */
    private static final int TRACE_LIMIT = 2_000;

    private final ObjectProvider<ConnectorInstaller> installer;

    KafkaConnectController(ObjectProvider<ConnectorInstaller> installer) {
        this.installer = installer;
    }

    record ConnectView(@Nullable @Schema(description = "the Connect REST API; null when none is configured")
                       String url,
                       @Schema(description = "whether the REST API answered") boolean reachable,
                       @Nullable @Schema(description = "why the connectors could not be read, if they could not")
                       String error,
                       List<ConnectorView> connectors, List<FileView> files) {
    }

    record ConnectorView(String name,
                         @Nullable @Schema(description = "source or sink") String type,
                         @Nullable @Schema(description = "UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED or "
                                 + "RESTARTING (Connect's states)") String state,
                         @Nullable String connectorClass, @Nullable String workerId,
                         @Nullable @Schema(description = "the start of the failure's stack trace, if it failed")
                         String trace,
                         List<TaskView> tasks) {
    }

    record TaskView(int id, @Nullable String state, @Nullable String workerId, @Nullable String trace) {
    }

    record FileView(@Schema(description = "the connector's name, and its file's: connectors/<name>.json") String name,
                    @Schema(description = "WAITING_FOR_CONNECT, CREATED, UPDATED, REFUSED, FAILED or SKIPPED")
                    String state, @Nullable String message, Instant at) {
    }

    @Operation(operationId = "getKafkaConnect", summary = "Show the Kafka Connect cluster and its connectors",
            description = "The connectors of the Connect cluster this application applies its connector files to "
                    + "(the embedded worker in the development run), each with its tasks and state, and what "
                    + "applying each file did at start-up. url is null when no Connect cluster is configured.")
    @GetMapping(path = "/api/admin/kafka/connect", produces = MediaType.APPLICATION_JSON_VALUE)
    ConnectView connect() {
        ConnectorInstaller configured = installer.getIfAvailable();
        if (configured == null) {
            return new ConnectView(null, false, null, List.of(), List.of());
        }
        List<FileView> files = new ArrayList<>();
        configured.outcomes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> files.add(
                new FileView(entry.getKey(), entry.getValue().state().name(), entry.getValue().message(),
                        entry.getValue().at())));
        KafkaConnectClient client = configured.client();
        try {
            List<ConnectorView> connectors = client.connectors().stream().map(KafkaConnectController::view).toList();
            return new ConnectView(client.baseUrl(), true, null, connectors, files);
        } catch (IOException e) {
            return new ConnectView(client.baseUrl(), false, "Kafka Connect did not answer: " + e.getMessage(),
                    List.of(), files);
        }
    }

    private static ConnectorView view(KafkaConnectClient.ConnectorStatus status) {
        return new ConnectorView(status.name(), status.type(), status.state(),
                status.config().get("connector.class"), status.workerId(), shorten(status.trace()),
                status.tasks().stream().map(task -> new TaskView(task.id(), task.state(), task.workerId(),
                        shorten(task.trace()))).toList());
    }

    private static String shorten(String trace) {
        if (trace == null || trace.length() <= TRACE_LIMIT) {
            return trace;
        }
        return trace.substring(0, TRACE_LIMIT) + "...";
    }
}
