package io.orderflow.console.processors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.CountFulfillmentSagasQuery;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FulfillmentSagaCounts;
import io.orderflow.topics.Topics;
import org.apache.kafka.clients.admin.TopicDescription;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The flow's state as Prometheus gauges: for every event processor its lag (events and seconds), throughput, error,
 * pause, replay and dead letters; the fulfillment sagas, stuck ones apart; and the under-replicated partitions of
 * each of orderflow's topics (docs/operations/slos.md names the alerts built on them).
 *
 * <p>The values are read when scraped, at most once a second whatever the number of gauges or scrapers, from the
 * same sources the operations API reads ({@link ProcessorInspector}, the saga store, the brokers' metadata). A value
 * that cannot be read (the database or the brokers unreachable, a throughput not measured yet) is NaN, not zero, so
 * that an alert never takes "unknown" for "healthy". Every instance reads the same token store and reports the same
 * values: aggregate with {@code max by (processor)}.
 */
@Component
class FlowMetrics {

    private static final Logger log = LoggerFactory.getLogger(FlowMetrics.class);
    private static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final ProcessorInspector inspector;
    private final KafkaHeads kafka;
    private final QueryGateway queries;
    private final EventProcessingConfiguration processing;
    private final MeterRegistry meters;
    private Snapshot snapshot;
    private long takenAt;

    FlowMetrics(ProcessorInspector inspector, KafkaHeads kafka, QueryGateway queries,
                EventProcessingConfiguration processing, MeterRegistry meters) {
        this.inspector = inspector;
        this.kafka = kafka;
        this.queries = queries;
        this.processing = processing;
        this.meters = meters;
    }

    /** Registers the gauges once every processor exists (Axon makes them as the context starts). */
    @EventListener(ApplicationReadyEvent.class)
    void register() {
        for (String name : new TreeSet<>(processing.eventProcessors().keySet())) {
            String source = inspector.sourceKind(name);
            processorGauge("orderflow.processor.lag.events", name, source,
                    "Events (store) or records (Kafka) between the processor's slowest segment and the head",
                    view -> number(view.lag()));
            processorGauge("orderflow.processor.lag.seconds", name, source,
                    "Store: age of the oldest event not handled yet; Kafka: lag at the current throughput",
                    view -> number(view.lagSeconds()));
            processorGauge("orderflow.processor.throughput.events.per.second", name, source,
                    "Events (or records) handled per second since the previous reading",
                    view -> number(view.throughput()));
            processorGauge("orderflow.processor.error", name, source,
                    "1 while a segment of the processor fails, else 0", view -> "ERROR".equals(view.status()) ? 1 : 0);
            processorGauge("orderflow.processor.paused", name, source,
                    "1 while an operator has the processor paused, else 0",
                    view -> "PAUSED".equals(view.status()) ? 1 : 0);
            processorGauge("orderflow.processor.replaying", name, source,
                    "1 while the processor replays (a projection rebuild), else 0", view -> view.replaying() ? 1 : 0);
            if (processing.deadLetterQueue(name).isPresent()) {
                processorGauge("orderflow.processor.dead.letters", name, source,
                        "Sequences parked in the processor's dead-letter queue", view -> number(view.deadLetters()));
            }
        }
        Gauge.builder("orderflow.sagas.stuck", this, metrics -> metrics.sagas(FulfillmentSagaCounts::stuck))
                .description("Fulfillment sagas stuck at a step: waiting for an operator or a retry that keeps failing")
                .register(meters);
        Gauge.builder("orderflow.sagas.active", this, metrics -> metrics.sagas(FulfillmentSagaCounts::active))
                .description("Fulfillment sagas not ended yet").register(meters);
        for (String topic : new TreeSet<>(Topics.names())) {
            Gauge.builder("orderflow.kafka.under.replicated.partitions", this,
                            metrics -> metrics.underReplicated(topic))
                    .description("Partitions of the topic with fewer in-sync replicas than replicas")
                    .tag("topic", topic).register(meters);
        }
    }

    private void processorGauge(String metric, String processor, String source, String description,
                                ToDoubleFunction<ProcessorView> value) {
        Gauge.builder(metric, this, metrics -> {
                    ProcessorView view = metrics.current().processors().get(processor);
                    return view == null ? Double.NaN : value.applyAsDouble(view);
                })
                .description(description).tag("processor", processor).tag("source", source).register(meters);
    }

    private double sagas(ToDoubleFunction<FulfillmentSagaCounts> value) {
        FulfillmentSagaCounts counts = current().sagas();
        return counts == null ? Double.NaN : value.applyAsDouble(counts);
    }

    private double underReplicated(String topic) {
        Integer partitions = current().underReplicated().get(topic);
        return partitions == null ? Double.NaN : partitions;
    }

    private static double number(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }

    /** The values of the last reading, read again if it is older than a second. */
    synchronized Snapshot current() {
        long now = System.nanoTime();
        if (snapshot == null || now - takenAt >= FRESH_FOR.toNanos()) {
            snapshot = new Snapshot(readProcessors(), readSagas(), readTopics());
            takenAt = System.nanoTime();
        }
        return snapshot;
    }

    private Map<String, ProcessorView> readProcessors() {
        try {
            return inspector.all().stream().collect(Collectors.toMap(ProcessorView::name, view -> view));
        } catch (RuntimeException unreadable) {
            log.debug("Processor metrics not readable now: {}", unreadable.toString());
            return Map.of();
        }
    }

    private FulfillmentSagaCounts readSagas() {
        try {
            return queries.query(new CountFulfillmentSagasQuery(), ResponseTypes.instanceOf(FulfillmentSagaCounts.class))
                    .get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception unreadable) {
            log.debug("Saga metrics not readable now: {}", unreadable.toString());
            return null;
        }
    }

    private Map<String, Integer> readTopics() {
        Map<String, TopicDescription> described = kafka.describe(Topics.names());
        return described.values().stream().collect(Collectors.toMap(TopicDescription::name,
                topic -> (int) topic.partitions().stream()
                        .filter(partition -> partition.isr().size() < partition.replicas().size()).count()));
    }

    /** One reading of everything the gauges show; an absent entry is a value that could not be read. */
    record Snapshot(Map<String, ProcessorView> processors, FulfillmentSagaCounts sagas,
                    Map<String, Integer> underReplicated) {
    }
}
