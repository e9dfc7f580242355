package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.KafkaEndpoints;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.process.AppProcess;
import io.orderflow.gateway.testkit.process.OtlpReceiver;
import io.orderflow.gateway.testkit.process.OtlpReceiver.ReceivedSpan;
import io.orderflow.order.api.OrderEventsTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One checkout is one trace (ADR 0045), as a collector receives it: the development jar exports over OTLP to an
 * in-memory receiver ({@link OtlpReceiver}) with every trace sampled, a customer's order is placed and fulfilled, and
 * the test follows the order's trace from the HTTP request to the mail, finding every hop, the Kafka hops linked by
 * the records' {@code traceparent}, and no span outside the request's tree.
 */
class TracingIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static OtlpReceiver receiver;
    private static AppProcess app;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        Path home = Path.of("target", "tracing-it-" + UUID.randomUUID()).toAbsolutePath();
        app = new AppProcess(AppProcess.developmentJar(), home, Map.of(
                "MANAGEMENT_OTLP_TRACING_ENDPOINT", receiver.endpoint(),
                "MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0",
                "MANAGEMENT_TRACING_OPENTELEMETRY_EXPORT_SCHEDULE_DELAY", "200ms",
                "ORDERFLOW_CONNECT_EMBEDDED", "false"));
        app.start(WAIT);
        http = app.http();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneCheckoutIsOneTrace_fromTheRequestThroughKafkaAndTheSagaToTheMail() {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        String sku = "TRACE-" + UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku(sku, "7.50", 10);
        UUID customer = operations.registerCustomer("Grace Hopper", "grace@example.org");
        // A client's own traceparent is not followed: the request's trace is the server's (ADR 0022).
        String clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Http.Response placed = http.postJson("/api/orders", Operations.orderFor(customer, sku, 1, "DE"),
                "traceparent", "00-" + clientTrace + "-00f067aa0ba902b7-01");
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        UUID orderId = UUID.fromString(placed.json().get("orderId").asText());
        String traceUuid = placed.header("X-Trace-Id");
        String traceId = traceUuid.replace("-", "");
        assertThat(traceId).as("the API's trace id is the OpenTelemetry trace id").matches("[0-9a-f]{32}")
                .isNotEqualTo(clientTrace);
        fulfillment.awaitStatus(orderId, WAIT, "COMPLETED");

        Map<String, Predicate<ReceivedSpan>> hops = new java.util.LinkedHashMap<>();
        hops.put("the HTTP request", span -> span.kind().equals("SERVER") && span.parentSpanId() == null
                && span.name().contains("/api/orders"));
        hops.put("the command", span -> span.name().contains("PlaceOrderCommand"));
        hops.put("the event's append", span -> span.name().contains("publish") && span.name().contains("OrderAccepted")
                && span.scope().equals("org.axonframework"));
        hops.put("its forwarding to Kafka", span -> span.kind().equals("PRODUCER")
                && span.name().equals(OrderEventsTopic.NAME + " publish")
                && "OrderAcceptedEvent".equals(span.attributes().get("orderflow.event.type")));
        hops.put("its time in the topic", span -> span.kind().equals("CONSUMER")
                && span.name().equals(OrderEventsTopic.NAME + " receive")
                && span.attributes().containsKey("orderflow.kafka.wait_ms"));
        hops.put("the stock reservation", span -> span.name().contains("ReserveStockCommand"));
        hops.put("the payment provider's call", span -> span.kind().equals("CLIENT"));
        hops.put("the payment's record", span -> span.name().contains("RecordPaymentAuthorizedCommand"));
        hops.put("the shipment", span -> span.name().contains("ArrangeShipmentCommand"));
        hops.put("the order's completion", span -> span.name().contains("CompleteOrderCommand"));
        hops.put("the mail", span -> span.name().startsWith("NotificationOutbox.sendEmail"));
        List<ReceivedSpan>[] trace = new List[1];
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                trace[0] = receiver.trace(traceId);
                return hops.values().stream().allMatch(hop -> trace[0].stream().anyMatch(hop));
            });
        } finally {
            print(traceId, receiver.trace(traceId));
        }
        List<ReceivedSpan> spans = trace[0];
        hops.forEach((hop, test) -> assertThat(spans).as(hop).anyMatch(test));

        // The Kafka hop: the record's traceparent names the producer span, whose child is the receive span, whose
        // children are the consumers' handling.
        String traceparent = traceparentOf(orderId);
        assertThat(traceparent).startsWith("00-" + traceId + "-");
        String producerSpan = traceparent.split("-")[2];
        ReceivedSpan producer = spans.stream().filter(span -> span.spanId().equals(producerSpan)).findFirst()
                .orElseThrow(() -> new AssertionError("no exported span " + producerSpan + " named by " + traceparent));
        assertThat(producer.kind()).isEqualTo("PRODUCER");
        List<ReceivedSpan> receives = spans.stream().filter(span -> producerSpan.equals(span.parentSpanId())).toList();
        assertThat(receives).as("the receive spans of the record's readers").isNotEmpty()
                .allMatch(span -> span.kind().equals("CONSUMER"));
        Set<String> receiveIds = receives.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        assertThat(spans).as("a consumer's handling under a receive span")
                .anyMatch(span -> receiveIds.contains(span.parentSpanId()));

        // One tree: every span's parent is in the trace, up to the request's span.
        Set<String> ids = spans.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        assertThat(spans.stream().filter(span -> span.parentSpanId() != null && !ids.contains(span.parentSpanId())))
                .as("spans whose parent is not in the trace").isEmpty();
        assertThat(spans.stream().filter(span -> span.parentSpanId() == null)).as("roots").hasSize(1);

        // The dashboard's waterfall holds the same trace.
        JsonNode waterfall = http.get("/api/admin/traces/" + traceUuid + "/spans").json();
        assertThat(waterfall.get("recorded").asBoolean()).isTrue();
        List<String> kinds = new ArrayList<>();
        waterfall.get("spans").forEach(span -> kinds.add(span.get("kind").asText()));
        assertThat(kinds).contains("SERVER", "PRODUCER", "CONSUMER", "CLIENT");
        assertThat(http.get("/api/admin/traces/not-a-trace/spans").status()).isEqualTo(400);
    }

    /** The traceparent of the order's OrderAcceptedEvent record. */
    private static String traceparentOf(UUID orderId) {
        Map<String, Object> settings = new HashMap<>(KafkaEndpoints.inspector(app.endpoints()));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(OrderEventsTopic.NAME).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Header type = record.headers().lastHeader("ce_type");
                    if (orderId.toString().equals(record.key()) && type != null
                            && new String(type.value(), StandardCharsets.UTF_8).contains("OrderAcceptedEvent")) {
                        return Optional.ofNullable(record.headers().lastHeader("traceparent"))
                                .map(header -> new String(header.value(), StandardCharsets.UTF_8)).orElse("");
                    }
                }
            }
        }
        throw new AssertionError("no OrderAcceptedEvent record of order " + orderId);
    }

    /** The trace as a tree, in the test's output. */
    private static void print(String traceId, List<ReceivedSpan> spans) {
        Map<String, List<ReceivedSpan>> children = new HashMap<>();
        Set<String> ids = new HashSet<>();
        spans.forEach(span -> ids.add(span.spanId()));
        List<ReceivedSpan> roots = new ArrayList<>();
        for (ReceivedSpan span : spans) {
            if (span.parentSpanId() == null || !ids.contains(span.parentSpanId())) {
                roots.add(span);
            } else {
                children.computeIfAbsent(span.parentSpanId(), id -> new ArrayList<>()).add(span);
            }
        }
        StringBuilder out = new StringBuilder("Trace " + traceId + ": " + spans.size() + " spans\n");
        long start = spans.stream().mapToLong(ReceivedSpan::startNanos).min().orElse(0);
        roots.sort(Comparator.comparingLong(ReceivedSpan::startNanos));
        roots.forEach(root -> print(root, 0, start, children, out));
        System.out.print(out);
    }

    private static void print(ReceivedSpan span, int depth, long start, Map<String, List<ReceivedSpan>> children,
                              StringBuilder out) {
        out.append(String.format(java.util.Locale.ROOT, "%8.1f ms %7.1f ms %s%s [%s]%s%n",
                (span.startNanos() - start) / 1e6, span.durationMs(), "  ".repeat(depth), span.name(), span.kind(),
                span.parentSpanId() == null ? " (root)" : ""));
        List<ReceivedSpan> below = new ArrayList<>(children.getOrDefault(span.spanId(), List.of()));
        below.sort(Comparator.comparingLong(ReceivedSpan::startNanos));
        below.forEach(child -> print(child, depth + 1, start, children, out));
    }
}
