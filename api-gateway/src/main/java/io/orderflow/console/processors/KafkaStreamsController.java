package io.orderflow.console.processors;

import io.orderflow.addressrouting.AddressRouting;
import io.orderflow.wiring.kafka.EmbeddedAddressRouter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Kafka Streams applications that run in this application (the address router, ADR 0023): their state, their
 * topology, their threads and tasks, and their metrics (Kafka Streams' own, and the router's counts).
 */
@RestController
class KafkaStreamsController {

    /** The thread-level figures an operator reads first. */
    private static final Set<String> THREAD_METRICS = Set.of("process-total", "process-rate", "commit-total",
            "commit-latency-avg", "poll-records-avg", "task-created-total", "task-closed-total");

    private final ObjectProvider<EmbeddedAddressRouter> router;

    KafkaStreamsController(ObjectProvider<EmbeddedAddressRouter> router) {
        this.router = router;
    }

    record StreamsView(String applicationId,
                       @Schema(description = "CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN, NOT_RUNNING, "
                               + "PENDING_ERROR or ERROR (Kafka Streams' states)") String state,
                       String topology, List<ThreadView> threads,
                       @Schema(description = "the router's counts (routed, stale, unknown, unreadable: totals and "
                               + "rates per second) and Kafka Streams' thread figures (process, commit, poll)")
                       Map<String, Double> metrics) {
    }

    record ThreadView(String name, String state, List<String> activeTasks, List<String> standbyTasks) {
    }

    @Operation(operationId = "listKafkaStreams", summary = "List the stream-processing applications",
            description = "The Kafka Streams applications running in this application (the address router unless "
                    + "it is deployed on its own): state, topology, threads and tasks, metrics. Empty when none "
                    + "runs here.")
    @GetMapping(path = "/api/admin/kafka/streams", produces = MediaType.APPLICATION_JSON_VALUE)
    List<StreamsView> streams() {
        EmbeddedAddressRouter embedded = router.getIfAvailable();
        if (embedded == null) {
            return List.of();
        }
        return embedded.streams().map(streams -> List.of(view(streams))).orElse(List.of());
    }

    private static StreamsView view(KafkaStreams streams) {
        List<ThreadView> threads = streams.metadataForLocalThreads().stream()
                .map(KafkaStreamsController::thread).toList();
        return new StreamsView(AddressRouting.APPLICATION_ID, streams.state().name(),
                AddressRouting.topology().describe().toString(), threads, metrics(streams.metrics()));
    }

    private static ThreadView thread(ThreadMetadata thread) {
        return new ThreadView(thread.threadName(), thread.threadState(), tasks(thread.activeTasks()),
                tasks(thread.standbyTasks()));
    }

    private static List<String> tasks(Set<TaskMetadata> tasks) {
        return tasks.stream().map(task -> task.taskId() + " " + task.topicPartitions().stream()
                        .map(Object::toString).sorted().collect(Collectors.joining(", ")))
                .sorted().toList();
    }

    private static Map<String, Double> metrics(Map<MetricName, ? extends Metric> all) {
        Map<String, Double> figures = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : all.entrySet()) {
            MetricName name = entry.getKey();
            boolean routerCount = name.group().contains(AddressRouting.METRICS_SCOPE);
            boolean threadFigure = name.group().equals("stream-thread-metrics") && THREAD_METRICS.contains(name.name());
            if (!routerCount && !threadFigure) {
                continue;
            }
            if (entry.getValue().metricValue() instanceof Number value && Double.isFinite(value.doubleValue())) {
                // Counts and rates add up over threads and tasks; of averages the largest is shown.
                boolean average = name.name().endsWith("-avg") || name.name().endsWith("-max");
                figures.merge(name.name(), value.doubleValue(), average ? Math::max : Double::sum);
            }
        }
        return figures;
    }
}
