package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.process.AppProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What tracing costs (ADR 0045): the development jar with tracing off ({@code MANAGEMENT_TRACING_ENABLED=false}: no
 * spans, no Axon span factory) and on at its default sampling, in paired rounds of the same run whose order
 * alternates (off, on; on, off; ...), each a fresh application without Kafka Connect. Each round places a
 * warm-up, then a burst of orders from 8 clients with the rest of the flow running, and measures acceptance (orders
 * per second over HTTP). The figure is the median of the pairs' ratios, so a round hit by a checkpoint or the JIT
 * does not decide it. Checks only that every order of every burst was accepted.
 */
class TracingBenchmark {

    private static final int ORDERS = Integer.getInteger("benchmark.tracing.orders", 600);
    private static final int PAIRS = Integer.getInteger("benchmark.tracing.pairs", 4);
    private static final int WARM_UP = 300;
    private static final int CLIENTS = 8;
    private static final Duration WAIT = Duration.ofSeconds(180);

    private record Round(boolean traced, double perSecond) {
    }

    @Test
    void acceptanceWithTracingOnAtTheDefaultSamplingAndOff() throws Exception {
        List<Round> rounds = new ArrayList<>();
        double[] ratios = new double[PAIRS];
        for (int pair = 0; pair < PAIRS; pair++) {
            boolean tracedFirst = pair % 2 == 1;
            Round first = round(tracedFirst);
            Round second = round(!tracedFirst);
            rounds.add(first);
            rounds.add(second);
            Round traced = tracedFirst ? first : second;
            Round untraced = tracedFirst ? second : first;
            ratios[pair] = traced.perSecond() / untraced.perSecond();
        }
        StringBuilder table = new StringBuilder("| round | tracing | accepted orders/s |\n| ---: | --- | ---: |\n");
        for (int i = 0; i < rounds.size(); i++) {
            table.append(String.format(Locale.ROOT, "| %d | %s | %.1f |%n", i + 1,
                    rounds.get(i).traced() ? "on, default sampling" : "off", rounds.get(i).perSecond()));
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        StringBuilder pairs = new StringBuilder();
        for (double ratio : ratios) {
            pairs.append(pairs.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ratio));
        }
        double on = rounds.stream().filter(Round::traced).mapToDouble(Round::perSecond).average().orElse(Double.NaN);
        double off = rounds.stream().filter(round -> !round.traced()).mapToDouble(Round::perSecond).average()
                .orElse(Double.NaN);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("orders", ORDERS);
        figures.put("clients", CLIENTS);
        figures.put("on.perSecond", on);
        figures.put("off.perSecond", off);
        figures.put("ratios", pairs.toString());
        figures.put("medianRatio", median);
        figures.put("table", table.toString());
        System.out.printf("%n=== Tracing benchmark: %d orders from %d clients per round ===%n%s"
                        + "mean accepted orders/s: tracing off %.1f, on %.1f; pairs' ratios (on/off) %s, median %.2f%n",
                ORDERS, CLIENTS, table, off, on, pairs, median);
        PerformanceReport.record(PerformanceReport.TRACING, figures);
    }

    private static Round round(boolean traced) throws Exception {
        Path home = Path.of("target", "tracing-benchmark-" + UUID.randomUUID()).toAbsolutePath();
        Map<String, String> environment = traced ? Map.of("ORDERFLOW_CONNECT_EMBEDDED", "false")
                : Map.of("ORDERFLOW_CONNECT_EMBEDDED", "false", "MANAGEMENT_TRACING_ENABLED", "false");
        try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home, environment)) {
            app.start(WAIT);
            Fulfillment fulfillment = new Fulfillment(app.http());
            String sku = "TRACE-BENCH-" + UUID.randomUUID().toString().substring(0, 8);
            fulfillment.stockNewSku(sku, "5.00", 10 * ORDERS);
            Bursts.place(fulfillment, sku, WARM_UP, CLIENTS);
            long started = System.nanoTime();
            Map<String, Long> accepted = Bursts.place(fulfillment, sku, ORDERS, CLIENTS);
            double perSecond = ORDERS / ((System.nanoTime() - started) / 1e9);
            assertThat(accepted).as("every order of the burst accepted").hasSize(ORDERS);
            System.out.printf(Locale.ROOT, "tracing %s: %.1f orders/s%n", traced ? "on" : "off", perSecond);
            return new Round(traced, perSecond);
        }
    }
}
