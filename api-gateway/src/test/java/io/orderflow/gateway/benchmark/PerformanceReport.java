package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.client.Fulfillment;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.DoublePredicate;

/**
 * The performance report, {@code docs/performance.md} when run through the benchmark profile: every benchmark hands
 * its figures to {@link #record}, which keeps them under {@code target/benchmark-figures/} (so benchmarks run one
 * after the other add up to one report; a {@code clean} starts afresh) and rewrites the whole report from every
 * figure kept. A figure of a benchmark that did not run reads "not run". The report's targets, the figures before
 * this design and the reasoning about limits are here; every number in it comes from the run.
 */
final class PerformanceReport {

    static final String FULFILLMENT = "fulfillment";
    static final String ACCEPTANCE = "acceptance";
    static final String REPLAY = "replay";
    static final String COMPARISON = "comparison";
    static final String SECURITY = "security";
    static final String TRACING = "tracing";

    private PerformanceReport() {
    }

    /** Keeps one benchmark's figures (replacing those of its earlier run) and rewrites the report. */
    static synchronized void record(String benchmark, Map<String, ?> figures) {
        Path dir = Path.of("target", "benchmark-figures").toAbsolutePath();
        Properties properties = new Properties();
        figures.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        properties.setProperty("measured",
                OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        Path report = reportFile();
        try {
            Files.createDirectories(dir);
            try (Writer out = Files.newBufferedWriter(dir.resolve(benchmark + ".properties"), StandardCharsets.UTF_8)) {
                properties.store(out, benchmark + " benchmark figures");
            }
            Files.createDirectories(report.getParent());
            Files.writeString(report, render(load(dir)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the performance report " + report, e);
        }
        System.out.println("Performance report written to " + report);
    }

    static Path reportFile() {
        return Path.of(System.getProperty("orderflow.benchmark.report", "target/performance.md"))
                .toAbsolutePath().normalize();
    }

    private static Map<String, Figures> load(Path dir) throws IOException {
        Map<String, Figures> all = new TreeMap<>();
        for (String name : new String[] {FULFILLMENT, ACCEPTANCE, REPLAY, COMPARISON, SECURITY, TRACING}) {
            Path file = dir.resolve(name + ".properties");
            Properties properties = new Properties();
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(in);
                }
            }
            all.put(name, new Figures(properties));
        }
        return all;
    }

    /** One benchmark's kept figures; every accessor answers "not run" (or NaN) for a figure it does not have. */
    record Figures(Properties values) {
        boolean ran() {
            return !values.isEmpty();
        }

        String text(String key) {
            return values.getProperty(key, "not run");
        }

        double number(String key) {
            String value = values.getProperty(key);
            return value == null ? Double.NaN : Double.parseDouble(value);
        }

        String format(String pattern, String key) {
            double value = number(key);
            return Double.isNaN(value) ? "not run" : String.format(Locale.ROOT, pattern, value);
        }
    }

    static String render(Map<String, Figures> all) {
        Figures f = all.get(FULFILLMENT);
        Figures a = all.get(ACCEPTANCE);
        Figures r = all.get(REPLAY);
        Figures c = all.get(COMPARISON);
        Figures k = all.get(SECURITY);
        Figures t = all.get(TRACING);
        double cores = Runtime.getRuntime().availableProcessors();
        double cpuBudget = cores * 1000; // CPU milliseconds per second of the whole machine

        StringBuilder out = new StringBuilder();
        out.append("# Performance\n\n")
                .append("Written by the benchmarks (`PerformanceReport`), figures of ")
                .append(measuredRange(all)).append(" on a machine with ").append((int) cores).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Everything shares these cores: the load ")
                .append("generator and the application in one JVM, PostgreSQL with `fsync` on, one Kafka broker in ")
                .append("its own JVM, the payment simulator. Figures vary by about ±30 % between runs on such a ")
                .append("machine; compare within one run. Do not edit by hand: run the command below.\n\n")
                .append("```bash\n./mvnw -Pbenchmark clean verify -pl api-gateway -am   # all six benchmarks, "
                        + "about 18 to 22 minutes\n")
                .append("./mvnw -Pbenchmark verify -pl api-gateway -am -Dit.test=FulfillmentBenchmark   # one of them; ")
                .append("the others' figures of an earlier run are kept\n```\n\n");

        out.append("## Targets\n\n")
                .append("\"Before\" is the flow as first built (one fulfillment saga reading every participant's fact ")
                .append("back through Kafka, ADR 0008). \"Limit\" is what bounds the figure now, from this run's ")
                .append("measurements.\n\n")
                .append("| measure | before | now | target | met | limit |\n")
                .append("| --- | ---: | ---: | ---: | :---: | --- |\n");
        double burstCpu = f.number("burst.cpuPerOrder");
        row(out, "fulfillment: orders ended per second, burst of " + f.format("%,.0f", "burst.orders") + " orders from "
                        + f.text("burst.clients") + " clients", "11–14", f.format("%.1f", "burst.endedPerSecond"),
                "≥ 500", f.number("burst.endedPerSecond"), v -> v >= 500,
                cpuLimit(burstCpu, cpuBudget, "orders", 500));
        row(out, "order-to-end p99, open loop at half that rate (" + f.format("%.1f", "paced.rate") + " orders/s)",
                "minutes", f.format("%.0f ms", "paced.p99"), "≤ 250 ms", f.number("paced.p99"), v -> v <= 250,
                "the machine was " + f.format("%.0f %%", "paced.busy") + " busy at that rate, so an order's "
                        + "steps wait for a core");
        row(out, "one order alone, order-to-end p50", "189–324 ms", f.format("%.0f ms", "solo.p50"), "≤ 50 ms",
                f.number("solo.p50"), v -> v <= 50, soloLimit(f));
        row(out, "burst with the provider " + f.text("slow.ms") + " ms slower, as a ratio to the fast burst",
                "0.24–0.65", f.format("%.3f", "slow.ratio"), "≥ 0.9", f.number("slow.ratio"), v -> v >= 0.9,
                f.number("slow.ratio") >= 0.9
                        ? "CPU, not the provider: payment calls run side by side and hold no connection"
                        : "a batch's groups that wait for the provider give their turn to the others, but the "
                        + "last groups' wait of " + f.text("slow.ms") + " ms is not covered by other work ("
                        + f.format("%.1f", "slow.endedPerSecond") + " against "
                        + f.format("%.1f", "burst.endedPerSecond") + " orders/s)");
        double catchUpCpu = f.number("catchup.cpuPerOrder");
        row(out, "catch-up after " + f.format("%,.0f", "outage.orders")
                        + " orders were accepted with fulfillment stopped",
                "155 s", f.format("%.1f s", "catchup.seconds"), "≤ 5 s", f.number("catchup.seconds"), v -> v <= 5,
                Double.isNaN(catchUpCpu) ? "not run" : String.format(Locale.ROOT, "%.1f ms of CPU per order "
                        + "after the restart: %s orders need at least %.1f s of the %d cores", catchUpCpu,
                        f.format("%,.0f", "outage.orders"), catchUpCpu * f.number("outage.orders") / cpuBudget,
                        (int) cores));
        double acceptanceCpu = a.number("burst.cpuPerOrder");
        row(out, "acceptance at 8 clients with the rest of the flow running, ratio to raw single-row inserts "
                        + "(" + a.format("%.0f", "burst.ordersPerSecond") + " against "
                        + a.format("%,.0f", "raw.insertsPerSecond")
                        + " per second)", "0.02–0.05", a.format("%.2f", "burst.ratio"), "≥ 0.25",
                a.number("burst.ratio"), v -> v >= 0.25, Double.isNaN(acceptanceCpu) ? "not run"
                        : String.format(Locale.ROOT, "%.1f ms of CPU per accepted order during the burst (%.1f ms "
                                + "of it PostgreSQL's) allow %.0f orders/s, a ratio of %.2f; a raw insert costs "
                                + "%.2f ms", acceptanceCpu, a.number("burst.cpuPostgresPerOrder"),
                        cpuBudget / acceptanceCpu, cpuBudget / acceptanceCpu / a.number("raw.insertsPerSecond"),
                        a.number("raw.cpuPerInsert")));
        row(out, "acceptance p99 at half the 8-client peak (" + a.format("%.0f", "half.rate") + " orders/s)",
                "23–99 ms", a.format("%.0f ms", "half.p99"), "≤ 50 ms", a.number("half.p99"), v -> v <= 50,
                "the machine was " + a.format("%.0f %%", "half.busy") + " busy at that rate, fulfilling the "
                        + "orders as they came");
        row(out, "forwarding lag (commit to Kafka) p99 at 8 clients", "141–209 ms",
                a.format("%.0f ms", "burst.forwardP99"), "≤ 100 ms", a.number("burst.forwardP99"), v -> v <= 100,
                "the publisher's thread waits for a core beside acceptance and fulfillment (" + a.format("%.0f %%",
                        "burst.busy") + " busy); at half load the lag p99 was " + a.format("%.0f ms", "half.forwardP99"));
        row(out, "acceptance with a bearer JWT checked on every request, against the same flow without, 8 clients "
                        + "(mean orders/s, median ratio)", "no authentication",
                a.format("%.0f", "auth.withTokens") + " / " + a.format("%.0f", "auth.without") + " = "
                        + a.format("%.2f", "auth.ratio"), "≥ 0.90", a.number("auth.ratio"), v -> v >= 0.90,
                "median of " + a.text("auth.rounds").split(", ").length + " paired rounds whose order "
                        + "alternates (" + a.text("auth.rounds") + "); the issuer's keys are fetched once and "
                        + "kept, so a request costs one RS256 signature check and the claims' checks, no call to the "
                        + "issuer");
        double replayCpu = r.number("replay.cpuPerEvent");
        row(out, "order-summary replay over " + r.format("%,.0f", "events") + " events, until reads switch",
                "2,944 events/s",
                r.format("%,.0f events/s", "replay.eventsPerSecond"), "≥ 15,000 events/s",
                r.number("replay.eventsPerSecond"), v -> v >= 15_000, Double.isNaN(replayCpu) ? "not run"
                        : String.format(Locale.ROOT, "%.3f ms of CPU per event (%.3f ms of it PostgreSQL's) allow "
                                + "%,.0f events/s on %d cores", replayCpu, r.number("replay.cpuPostgresPerEvent"),
                        cpuBudget / replayCpu, (int) cores));

        out.append("\n## Fulfillment\n\n");
        if (f.ran()) {
            out.append(String.format(Locale.ROOT, """
                    `FulfillmentBenchmark` warms up with 300 orders, then places %s orders one at a time, a burst of \
                    %s orders from %s clients over %s SKUs (stock for 90 %%, so a tenth fail `OUT_OF_STOCK`), the \
                    same at half the burst's rate in an open loop, the burst again with the payment provider %s ms \
                    slower, and %s orders with the `fulfillment` processor paused through the operations API, then \
                    resumed. Latency is acceptance to the order's last event, from the event store's timestamps; \
                    orders ended per second count from the burst's first request to the last order's end, \
                    acceptance included. It checks that no SKU was oversold, stock was conserved and every order \
                    ended.

                    | measure | figure |
                    | --- | ---: |
                    | one order alone, order-to-end p50 / max | %s / %s ms |
                    | burst: orders ended per second | %s |
                    | burst: order-to-end p50 / p99 | %s / %s ms |
                    | open loop at %s orders/s (%s orders): order-to-end p50 / p99 | %s / %s ms |
                    | burst with the provider %s ms slower: orders ended per second | %s |
                    | catch-up: from the resume to the last order's end | %s s |

                    Where one order's time goes when it is alone (median from each event to the next):

                    %s
                    CPU per order in the burst, by component (this JVM's threads grouped by name; PostgreSQL's and \
                    the broker's processes from `/proc`). %s ms of CPU per order against %d cores' %.0f ms per \
                    second allow %s orders per second, which is what the burst reached:

                    %s
                    """, f.format("%,.0f", "solo.orders"), f.format("%,.0f", "burst.orders"), f.text("burst.clients"),
                    f.text("skus"),
                    f.text("slow.ms"), f.format("%,.0f", "outage.orders"), f.text("solo.p50"), f.text("solo.max"),
                    f.format("%.1f", "burst.endedPerSecond"), f.text("burst.p50"), f.text("burst.p99"),
                    f.format("%.1f", "paced.rate"), f.format("%,.0f", "paced.orders"), f.text("paced.p50"),
                    f.text("paced.p99"),
                    f.text("slow.ms"), f.format("%.1f", "slow.endedPerSecond"), f.format("%.1f", "catchup.seconds"),
                    f.text("solo.stepTable"), f.format("%.1f", "burst.cpuPerOrder"), (int) cores, cpuBudget,
                    Double.isNaN(burstCpu) ? "not run" : String.format(Locale.ROOT, "%.0f", cpuBudget / burstCpu),
                    f.text("burst.cpuTable")));
        } else {
            out.append("Not run in this report's runs.\n");
        }

        out.append("\n## Storage per order\n\n");
        if (f.ran() && !Double.isNaN(f.number("storage.orders"))) {
            out.append(String.format(Locale.ROOT, """
                    At the end of `FulfillmentBenchmark`, what the %s orders in the event store take on disk, \
                    divided by that count: on Kafka each topic's log segments as the brokers report them (one \
                    copy: multiply by the replication factor), in PostgreSQL the event store (events and \
                    snapshots with their indexes) and the rest of the database. The README's operations section \
                    turns these into a size for an order rate and the topics' retention.

                    %s
                    """, f.format("%,.0f", "storage.orders"), f.text("storage.table")));
        } else {
            out.append("Not run in this report's runs.\n");
        }

        out.append("\n## Acceptance and forwarding\n\n");
        if (a.ran()) {
            out.append(String.format(Locale.ROOT, """
                    `OrderThroughputBenchmark` places orders (`POST /api/orders`) from 1, 8 and 32 clients in a \
                    closed loop with the whole flow running, then measures on the same servers the raw limits: \
                    single-row inserts of an event-sized row, one transaction each, and produces of an event-sized \
                    record with `acks=all`, at the same concurrency. Each phase waits until every order is on \
                    Kafka and has ended before the next one starts. The lag of the consumers at the end of a burst \
                    and the time until every order ended follow from the flow's CPU per order above.

                    %s
                    At half the 8-client peak (%s orders/s, open loop): acceptance p50 %s ms, p99 %s ms; forwarding \
                    lag p99 %s ms.

                    CPU per accepted order during the 8-client burst, by component:

                    %s
                    """, a.text("table"), a.format("%.0f", "half.rate"), a.format("%.1f", "half.p50"),
                    a.format("%.1f", "half.p99"), a.format("%.0f", "half.forwardP99"), a.text("burst.cpuTable")));
        } else {
            out.append("Not run in this report's runs.\n");
        }

        out.append("\n## The order-summary replay\n\n");
        if (r.ran()) {
            out.append(String.format(Locale.ROOT, """
                    `ReplayBenchmark` appends 100,000 events by default (completed orders of five events each) \
                    through Axon's event store, so that with the earlier benchmarks' events the store holds %s, waits for the live \
                    projection, then replays the order summary through the operations API (a rebuild beside the \
                    served data) and counts until reads switch to the rebuilt data.

                    | phase | seconds | events/s |
                    | --- | ---: | ---: |
                    | append (batches of 1,000) | %s | %s |
                    | live build, from the append's start | %s | %s |
                    | replay, until reads switched | %s | %s |

                    CPU per event during the replay, by component:

                    %s
                    """, r.format("%,.0f", "events"), r.format("%.1f", "append.seconds"),
                    r.format("%.0f", "append.eventsPerSecond"),
                    r.format("%.1f", "live.seconds"), r.format("%.0f", "live.eventsPerSecond"),
                    r.format("%.1f", "replay.seconds"), r.format("%.0f", "replay.eventsPerSecond"),
                    r.text("replay.cpuTable")));
        } else {
            out.append("Not run in this report's runs.\n");
        }

        out.append("\n## The headline comparison: the synchronous chain against orderflow\n\n");
        if (c.ran()) {
            out.append("""
                    `CheckoutComparisonBenchmark` runs the checkout that orderflow replaces (one request validates \
                    against the catalogue, reserves stock, charges and arranges the shipment through the same \
                    participants' commands and the same payment provider, and answers when all are done) beside \
                    orderflow (the request accepts; fulfillment follows from the log), 8 clients in a closed loop, \
                    with the provider fast, 500 ms slower and down. Success is the share of checkouts answered 2xx; \
                    fulfilled per second counts from the first request to the last fulfillment.

                    """).append(c.text("table")).append('\n');
        } else {
            out.append("Not run in this report's runs.\n");
        }
        out.append("\n## What securing Kafka costs\n\n");
        if (k.ran()) {
            out.append(String.format(Locale.ROOT, """
                    `KafkaSecurityBenchmark` starts the development jar four times, on a plaintext embedded cluster \
                    and on a secured one (SASL/SCRAM-SHA-512 over TLS, ACLs per principal; ADR 0031) in \
                    alternating order, each a fresh application without Kafka Connect. Each round places a \
                    warm-up of 100 orders, then %s orders from %s clients, and measures acceptance over HTTP and \
                    the forwarding lag from the acceptance's answer to the record's timestamp on the order topic.

                    %s
                    Mean accepted orders per second: plaintext %s, secured %s (ratio %s). Mean forwarding lag p99: \
                    plaintext %s ms, secured %s ms.
                    """, k.format("%,.0f", "orders"), k.text("clients"), k.text("table"),
                    k.format("%.1f", "plain.perSecond"), k.format("%.1f", "secured.perSecond"),
                    k.format("%.2f", "ratio"), k.format("%.0f", "plain.lagP99"), k.format("%.0f", "secured.lagP99")));
        } else {
            out.append("Not run in this report's runs.\n");
        }
        out.append("\n## What tracing costs\n\n");
        if (t.ran()) {
            out.append(String.format(Locale.ROOT, """
                    `TracingBenchmark` starts the development jar in paired rounds whose order alternates, with \
                    tracing off (`MANAGEMENT_TRACING_ENABLED=false`) and on at its default sampling, which records \
                    every trace (ADR 0045), each \
                    a fresh application without Kafka Connect. Each round places a warm-up of 300 orders, then %s \
                    orders from %s clients with the rest of the flow running, and measures acceptance over HTTP.

                    %s
                    Mean accepted orders per second: tracing off %s, on %s. The pairs' ratios (on / off): %s; \
                    median %s.
                    """, t.format("%,.0f", "orders"), t.text("clients"), t.text("table"),
                    t.format("%.1f", "off.perSecond"), t.format("%.1f", "on.perSecond"), t.text("ratios"),
                    t.format("%.2f", "medianRatio")));
        } else {
            out.append("Not run in this report's runs.\n");
        }
        out.append(LIMITS);
        return out.toString();
    }

    private static final String LIMITS = """

            ## Reading the limits

            Each core gives 1,000 ms of CPU per second. Every order costs the CPU of everything it causes: its \
            acceptance, the event store's appends, the Kafka publisher, the order summary, analytics, \
            notifications and fulfillment (its commands in three transactions per group of orders, ADR 0013). \
            Dividing that budget by the CPU per order gives the most orders per second the machine can end, \
            whatever the queues do; when the fulfillment burst reaches it, its figure is the machine's. A target \
            above it needs the CPU per order to fall by the same factor. The same reasoning bounds the catch-up \
            (orders waiting times CPU per order) and the replay (events times CPU per event).

            Latency targets at a given rate are bound by how busy the machine is at that rate: a transaction that \
            finds every core busy waits. One order alone is bound by its trip through the event store, the \
            publisher and Kafka to fulfillment, and by its transactions' commits (each `fsync`ed by PostgreSQL).

            What would lower the CPU per order further, in order of the shares above: PostgreSQL's share (a commit \
            and an append per command of acceptance, the order summary's and analytics' batches); the request \
            threads (a unit of work and a catalogue read through Spring Data per order); \
            the JVM's time outside the named threads (garbage collection and compilation, several milliseconds \
            per order); and the consumers that each read and deserialize every event.
            """;

    /**
     * One order alone: its acceptance reaches fulfillment through the store, the publisher and Kafka (the first hop),
     * then the straight path's three transactions and the payment call.
     */
    private static String soloLimit(Figures f) {
        String steps = f.text("solo.steps");
        String[] hops = steps.split("; ");
        if (hops.length < 2) {
            return steps;
        }
        long rest = 0;
        for (int i = 1; i < hops.length; i++) {
            String[] words = hops[i].split(" ");
            try {
                rest += Long.parseLong(words[words.length - 2]);
            } catch (NumberFormatException e) {
                return steps;
            }
        }
        String first = hops[0].substring(hops[0].lastIndexOf(' ', hops[0].length() - 4) + 1);
        return "its acceptance reaches fulfillment through the event store, the publisher and Kafka (" + first
                + " to the reservation), then the rest of its path takes " + rest + " ms: three transactions "
                + "committed to disk and the payment call (the step table below)";
    }

    /** Renders the report again from the figures kept under {@code target/benchmark-figures} (no benchmark runs). */
    public static void main(String[] args) throws IOException {
        Path report = reportFile();
        Files.writeString(report, render(load(Path.of("target", "benchmark-figures").toAbsolutePath())),
                StandardCharsets.UTF_8);
        System.out.println("Performance report written to " + report);
    }

    private static void row(StringBuilder out, String measure, String before, String now, String target,
                            double value, DoublePredicate met, String limit) {
        String verdict = Double.isNaN(value) ? "–" : met.test(value) ? "yes" : "no";
        out.append("| ").append(measure).append(" | ").append(before).append(" | **").append(now).append("** | ")
                .append(target).append(" | ").append(verdict).append(" | ")
                .append(Double.isNaN(value) ? "not run" : limit).append(" |\n");
    }

    private static String cpuLimit(double cpuPerUnit, double budget, String units, double target) {
        if (Double.isNaN(cpuPerUnit)) {
            return "not run";
        }
        return String.format(Locale.ROOT, "%.1f ms of CPU per order (all components) allow %.0f %s/s; %.0f would "
                + "need %.1f ms", cpuPerUnit, budget / cpuPerUnit, units, target, budget / target);
    }

    private static String measuredRange(Map<String, Figures> all) {
        java.util.List<String> days = all.values().stream().filter(Figures::ran)
                .map(x -> x.text("measured").substring(0, 10)).distinct().sorted().toList();
        return days.isEmpty() ? "no run" : days.size() == 1 ? days.get(0)
                : days.get(0) + " to " + days.get(days.size() - 1);
    }
}
