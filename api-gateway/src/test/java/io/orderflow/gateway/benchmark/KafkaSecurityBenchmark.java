package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.KafkaEndpoints;
import io.orderflow.gateway.testkit.process.AppProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What securing Kafka costs (ADR 0031): the development jar on a plaintext embedded cluster and on a secured one
 * (SASL/SCRAM over TLS, ACLs), in alternating rounds of the same run, each a fresh application. Each round places a
 * warm-up, then a burst of orders from 8 clients, and measures acceptance (orders per second over HTTP) and the
 * forwarding lag (from the acceptance's answer to the record's timestamp on {@code orderflow.order-events}, read
 * back with the inspection principal on the secured cluster). Checks only that every order reached the topic.
 */
class KafkaSecurityBenchmark {

    private static final int ORDERS = Integer.getInteger("benchmark.security.orders", 600);
    private static final int CLIENTS = 8;
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void acceptanceAndForwardingWithAndWithoutSaslOverTls() throws Exception {
        List<Round> rounds = new ArrayList<>();
        for (boolean secured : new boolean[] {false, true, true, false}) {
            rounds.add(round(secured));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("| round | cluster | accepted orders/s | forwarding lag p50 ms "
                + "| p99 ms |\n| ---: | --- | ---: | ---: | ---: |\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round round = rounds.get(i);
            table.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %d | %d |%n", i + 1,
                    round.secured() ? "SASL_SSL, ACLs" : "plaintext", round.perSecond(), round.lagP50(),
                    round.lagP99()));
        }
        double plain = mean(rounds, false, Round::perSecond);
        double secured = mean(rounds, true, Round::perSecond);
        double plainLag = mean(rounds, false, round -> round.lagP99());
        double securedLag = mean(rounds, true, round -> round.lagP99());
        figures.put("orders", ORDERS);
        figures.put("clients", CLIENTS);
        figures.put("plain.perSecond", plain);
        figures.put("secured.perSecond", secured);
        figures.put("ratio", secured / plain);
        figures.put("plain.lagP99", plainLag);
        figures.put("secured.lagP99", securedLag);
        figures.put("table", table.toString());
        System.out.printf("%n=== Kafka security benchmark: %d orders from %d clients per round ===%n%s"
                        + "mean accepted orders/s: plaintext %.1f, secured %.1f (ratio %.2f); mean forwarding lag p99: "
                        + "plaintext %.0f ms, secured %.0f ms%n", ORDERS, CLIENTS, table, plain, secured,
                secured / plain, plainLag, securedLag);
        PerformanceReport.record(PerformanceReport.SECURITY, figures);
    }

    private record Round(boolean secured, double perSecond, long lagP50, long lagP99) {
    }

    private static double mean(List<Round> rounds, boolean secured, java.util.function.ToDoubleFunction<Round> of) {
        return rounds.stream().filter(round -> round.secured() == secured).mapToDouble(of).average().orElse(Double.NaN);
    }

    private static Round round(boolean secured) throws Exception {
        Path home = Path.of("target", "security-benchmark-" + UUID.randomUUID()).toAbsolutePath();
        try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home, Map.of(
                "ORDERFLOW_KAFKA_SECURED", Boolean.toString(secured), "ORDERFLOW_CONNECT_EMBEDDED", "false"))) {
            app.start(WAIT);
            Http http = app.http();
            Fulfillment fulfillment = new Fulfillment(http);
            String sku = "SEC-BENCH-" + UUID.randomUUID().toString().substring(0, 8);
            fulfillment.stockNewSku(sku, "5.00", 10 * ORDERS);
            Bursts.place(fulfillment, sku, 100, CLIENTS);
            long started = System.nanoTime();
            Map<String, Long> acceptedAt = Bursts.place(fulfillment, sku, ORDERS, CLIENTS);
            double perSecond = ORDERS / ((System.nanoTime() - started) / 1e9);
            List<Long> lags = forwardingLags(app.endpoints(), acceptedAt);
            assertThat(lags).as("every order of the burst on the topic").hasSize(ORDERS);
            lags.sort(null);
            return new Round(secured, perSecond, lags.get(lags.size() / 2),
                    lags.get((int) Math.ceil(lags.size() * 0.99) - 1));
        }
    }

    /** Each order's lag from its acceptance to its OrderAcceptedEvent's record timestamp on the topic. */
    private static List<Long> forwardingLags(Properties endpoints, Map<String, Long> acceptedAt) {
        Map<String, Object> settings = new HashMap<>(KafkaEndpoints.inspector(endpoints));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Long> lags = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("orderflow.order-events", WAIT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, Long> waiting = new HashMap<>(acceptedAt);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Header type = record.headers().lastHeader("axon-message-type");
                    if (type != null && new String(type.value(), StandardCharsets.UTF_8)
                            .endsWith("OrderAcceptedEvent")) {
                        Long accepted = waiting.remove(record.key());
                        if (accepted != null) {
                            lags.add(Math.max(0, record.timestamp() - accepted));
                        }
                    }
                }
            }
        }
        return lags;
    }
}
