package io.orderflow.gateway.system;

import io.orderflow.OrderflowApplication;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances on one database and one Kafka cluster (the test's own, and a second one started beside
 * it in this JVM on the same embedded servers, under its own instance name). Each caches the orders it handled
 * last, so a command can meet a copy of an order that the other instance has changed since; the event store's
 * unique index refuses the stale append and the gateway sends the command again on the order as it now is
 * (ADR 0034). Scenario S10 across instances.
 *
 * <p>Pause, resume and replay asked of one instance act on both (ADR 0035); a replay makes one new generation of the
 * projection, which both then serve.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesIT extends EmbeddedSystemTest {

    private static final int CONCURRENT_CANCELS = 40;

    private ConfigurableApplicationContext second;
    private Http other;

    @BeforeAll
    void startTheSecondInstance() {
        // As arguments: they outrank application.yml, which default properties do not.
        second = new SpringApplicationBuilder(OrderflowApplication.class).run(
                "--server.port=0",
                "--orderflow.instance-id=it-instance-b",
                "--orderflow.connect.embedded=false");
    }

    @BeforeEach
    void connectToTheSecondInstance() {
        int port = ((WebServerApplicationContext) second).getWebServer().getPort();
        other = new Http("http://127.0.0.1:" + port, tokens.asOperator());
    }

    @AfterAll
    void stopTheSecondInstance() {
        if (second != null) {
            second.close();
            // The tests after this one find every segment back here.
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("SELECT count(*) FROM token_entry "
                    + "WHERE owner IS NULL OR owner NOT LIKE ?", Long.class, INSTANCE + "/%") == 0);
        }
    }

    @Test
    void theSegmentsSpreadOverBothInstances() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Long> held = new TreeMap<>();
            jdbc.query("SELECT owner FROM token_entry WHERE processor_name = 'order-summary'",
                    row -> { held.merge(String.valueOf(row.getString(1)).replaceAll("/.*", ""), 1L, Long::sum); });
            assertThat(held).as("order-summary's 4 segments by instance").containsOnly(
                    Map.entry(INSTANCE, 2L), Map.entry("it-instance-b", 2L));
        });
    }

    @Test
    void aCommandOnAStaleCopyIsSentAgain_andAnsweredByTheOrderAsItIs() {
        pauseFulfillment();
        try {
            String orderId = place(http);
            // This instance has the new order in its cache; the other cancels it.
            Http.Response cancelled = cancel(other, orderId, "changed my mind");
            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);

            // Here the cached copy is not cancelled yet: the cancellation's append conflicts, the copy is dropped,
            // and the command sent again meets the cancelled order.
            Http.Response again = cancel(http, orderId, "twice");

            assertThat(again.status()).as(again.body()).isEqualTo(409);
            assertThat(again.json().get("type").asText()).as("the order's own answer, not a conflict")
                    .endsWith("/problems/invalid-transition");
            assertThat(eventTypes(orderId)).containsExactly("OrderAcceptedEvent", "OrderCancelledEvent");
        } finally {
            resumeFulfillment();
        }
    }

    @Test
    void concurrentCancelsOnBothInstances_oneWins_andTheSequenceStaysContiguous() throws Exception {
        pauseFulfillment();
        try {
            String orderId = place(other);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_CANCELS; i++) {
                Http instance = i % 2 == 0 ? http : other;
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    Http.Response response = cancel(instance, orderId, "reason " + n);
                    String answer = response.status() == 409
                            ? "409 " + response.json().get("type").asText().replace("/problems/", "")
                            : Integer.toString(response.status());
                    answers.computeIfAbsent(answer, a -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
            pool.shutdown();

            List<String> types = eventTypes(orderId);
            List<Long> sequences = jdbc.queryForList("SELECT sequence_number FROM domain_event_entry "
                    + "WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, orderId);
            assertThat(types).containsExactly("OrderAcceptedEvent", "OrderCancelledEvent");
            assertThat(sequences).containsExactlyElementsOf(LongStream.range(0, sequences.size()).boxed().toList());
            assertThat(answers.get("200")).as("cancels that won: %s", answers).hasValue(1);
            assertThat(answers.get("409 invalid-transition")).as("cancels refused by the order: %s", answers)
                    .hasValue(CONCURRENT_CANCELS - 1);
            ScenarioReport.record(new ScenarioReport.Row("S10 instances",
                    "concurrent conflicting commands on two instances",
                    CONCURRENT_CANCELS + " concurrent cancels of one order, half through each of two instances that "
                            + "both cache it", CONCURRENT_CANCELS, 0, 0, "-", true,
                    "answers " + new TreeMap<>(answers) + "; events " + types + "; sequence numbers contiguous 0.."
                            + (sequences.size() - 1)));
        } finally {
            resumeFulfillment();
        }
    }

    @Test
    void aPauseThroughOneInstance_pausesBoth_andAResumeThroughTheOther_startsBoth() {
        String name = "delivery-address";
        try {
            assertThat(http.postJson("/api/admin/processors/" + name + "/pause", "").status()).isEqualTo(200);

            assertThat(processorOfTheSecond(name).isRunning()).as("the other instance's processor, when the pause "
                    + "answers").isFalse();
            assertThat(jdbc.queryForList("SELECT owner FROM token_entry WHERE processor_name = ? AND owner IS NOT NULL",
                    String.class, name)).as("segments still claimed").isEmpty();
            assertThat(other.get("/api/admin/processors/" + name).json().get("status").asText()).isEqualTo("PAUSED");
            // The other instance's check, every second, keeps it paused.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> !processorOfTheSecond(name).isRunning());

            assertThat(other.postJson("/api/admin/processors/" + name + "/resume", "").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> processorOfTheSecond(name).isRunning()
                    && "RUNNING".equals(http.get("/api/admin/processors/" + name).json().get("status").asText()));
        } finally {
            http.postJson("/api/admin/processors/" + name + "/resume", "");
        }
    }

    @Test
    void aReplayThroughOneInstance_rebuildsOnce_andBothInstancesServeTheNewGeneration() {
        String orderId = place(other);
        await().atMost(Duration.ofSeconds(30)).until(() -> other.get("/api/orders/" + orderId).status() == 200);
        int served = servedGeneration();

        Http.Response replay = http.postJson("/api/admin/processors/order-summary/replay", "");
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.queryForObject("SELECT served = building FROM projection_generation "
                        + "WHERE projection = 'order-summary'", Boolean.class) && servedGeneration() > served);
        assertThat(servedGeneration()).as("generations the replay made").isEqualTo(served + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> processorOfTheSecond("order-summary").isRunning());
        for (Http instance : List.of(http, other)) {
            Http.Response read = instance.get("/api/orders/" + orderId);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.header("X-Orderflow-Rebuilding")).as("still rebuilding").isNull();
        }
    }

    private StreamingEventProcessor processorOfTheSecond(String name) {
        return second.getBean(EventProcessingConfiguration.class).eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow();
    }

    private int servedGeneration() {
        return jdbc.queryForObject("SELECT served FROM projection_generation WHERE projection = 'order-summary'",
                Integer.class);
    }

    /** The saga would move the order on meanwhile; paused on both instances, it waits. */
    private void pauseFulfillment() {
        for (Http instance : List.of(http, other)) {
            assertThat(instance.postJson("/api/admin/processors/fulfillment/pause", "").status()).isEqualTo(200);
        }
    }

    private void resumeFulfillment() {
        for (Http instance : List.of(http, other)) {
            instance.postJson("/api/admin/processors/fulfillment/resume", "");
        }
    }

    private static String place(Http instance) {
        Http.Response response = instance.postJson("/api/orders", Orders.oneBag());
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("orderId").asText();
    }

    private static Http.Response cancel(Http instance, String orderId, String reason) {
        return instance.postJson("/api/orders/" + orderId + "/cancel", "{\"reason\": \"" + reason + "\"}");
    }

    private List<String> eventTypes(String orderId) {
        return jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "ORDER BY sequence_number", String.class, orderId).stream()
                .map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }
}
