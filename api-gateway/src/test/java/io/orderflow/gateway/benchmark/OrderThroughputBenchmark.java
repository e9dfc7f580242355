package io.orderflow.gateway.benchmark;

import io.orderflow.infra.kafka.KafkaPrincipal;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives {@code POST /api/orders} at 1, 8 and 32 concurrent clients and compares the rate with the physical limit
 * of the same PostgreSQL: single-row inserts of an event-sized row, one transaction each, at the same concurrency.
 * Also measures how long an accepted order takes to appear on Kafka, and the latency at half the 8-client peak.
 * Run with {@code ./mvnw -Pbenchmark verify}; not part of the default build. It prints figures and checks only
 * correctness (every order accepted and forwarded), never timings.
 */
class OrderThroughputBenchmark extends BenchmarkContext {

    private static final int ORDERS = Integer.getInteger("benchmark.orders", 3000);
    private static final int WARMUP = Integer.getInteger("benchmark.warmup", 1000);
    private static final int[] CLIENTS = Arrays.stream(
            System.getProperty("benchmark.clients", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
    private static final int EVENT_ROW_BYTES = 600;
    private static final int AUTH_ORDERS = Integer.getInteger("benchmark.auth-orders", 750);
    private static final int AUTH_ROUNDS = Integer.getInteger("benchmark.auth-rounds", 4);


    @Value("${spring.datasource.url}")
    String jdbcUrl;

    @Value("${spring.datasource.username}")
    String jdbcUser;

    @Value("${spring.datasource.password:}")
    String jdbcPassword;

    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    private final AtomicBoolean consuming = new AtomicBoolean(true);

    record Phase(int clients, int orders, double ordersPerSecond, Histogram latencyMicros, Histogram lagMicros,
                 long drainMillis, Burst burst, double rawInsertsPerSecond, double rawProducesPerSecond) {
    }

    /**
     * The rest of the flow around a closed-loop phase: CPU per accepted order while orders were being placed (all
     * components), the consumers' lag when the last order was acknowledged, and the time from then until every order
     * had ended (completed or failed, as the order summary shows).
     */
    record Burst(double cpuPerOrder, double postgresPerOrder, double busyPercent, String cpuTable,
                 long fulfillmentLag, long summaryLag, double endedAfterSeconds) {
    }

    /** Acceptance throughput per round, with token checking and without. */
    record Auth(double[] withTokens, double[] without) {

        double[] ratios() {
            return IntStream.range(0, withTokens.length).mapToDouble(i -> withTokens[i] / without[i]).toArray();
        }

        /** The median of the rounds' ratios: one round hit by a checkpoint or a pause does not decide it. */
        double medianRatio() {
            double[] sorted = ratios().clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        String roundsText() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < withTokens.length; i++) {
                text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f/%.0f=%.2f", withTokens[i],
                        without[i], withTokens[i] / without[i]));
            }
            return text.toString();
        }
    }

    private final CpuMeter cpu = new CpuMeter();
    private double rawCpuPerInsert = Double.NaN;

    @Test
    void ordersPerSecondAgainstTheRawInsertLimit() throws Exception {
        Thread consumer = startTopicConsumer();
        try {
            run(8, WARMUP); // JIT, connection pools, producer metadata
            List<Phase> phases = new ArrayList<>();
            for (int clients : CLIENTS) {
                Phase phase = run(clients, ORDERS);
                phases.add(new Phase(clients, ORDERS, phase.ordersPerSecond(), phase.latencyMicros(),
                        phase.lagMicros(), phase.drainMillis(), phase.burst(), rawInsertsPerSecond(clients, ORDERS),
                        rawProducesPerSecond(clients, ORDERS)));
            }
            // "Half the load" is half the 8-client peak, or of the busiest phase run when 8 was not among them.
            double peak = phases.stream().filter(p -> p.clients() == 8).findFirst()
                    .or(() -> phases.stream().reduce((a, b) -> a.clients() > b.clients() ? a : b))
                    .orElseThrow().ordersPerSecond();
            Half halfLoad = paced(8, peak / 2, ORDERS);
            // Token checking's cost: the same 8-client burst with and without it, in paired rounds whose order
            // alternates (with-without, then without-with), so that whatever drifts during the run (autovacuum, a
            // checkpoint, the JIT) weighs on both sides; the figure is the median of the rounds' ratios.
            Auth auth = new Auth(new double[AUTH_ROUNDS], new double[AUTH_ROUNDS]);
            for (int round = 0; round < AUTH_ROUNDS; round++) {
                if (round % 2 == 0) {
                    auth.withTokens()[round] = run(8, AUTH_ORDERS, this::asShop).ordersPerSecond();
                    auth.without()[round] = run(8, AUTH_ORDERS, this::unchecked).ordersPerSecond();
                } else {
                    auth.without()[round] = run(8, AUTH_ORDERS, this::unchecked).ordersPerSecond();
                    auth.withTokens()[round] = run(8, AUTH_ORDERS, this::asShop).ordersPerSecond();
                }
            }
            report(phases, peak / 2, halfLoad, rawCpuPerInsert, auth);
        } finally {
            consuming.set(false);
            consumer.join(10_000);
        }
    }

    /** The shop's client: every request carries its bearer token, checked as any caller's is. */
    private Http asShop() {
        return new Http("http://127.0.0.1:" + port, tokens.asShop());
    }

    /** A client the benchmark's own security chain lets in without a token ({@link BenchmarkContext.UncheckedCaller}). */
    private Http unchecked() {
        return new Http("http://127.0.0.1:" + port, null);
    }

    private Phase run(int clients, int orders) throws Exception {
        return run(clients, orders, this::asShop);
    }

    /** Closed loop: {@code clients} threads each place orders back to back until {@code orders} are done. */
    private Phase run(int clients, int orders, java.util.function.Supplier<Http> clientOf) throws Exception {
        Histogram latency = new Histogram(3);
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        AtomicInteger remaining = new AtomicInteger(orders);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CpuMeter.Snapshot before = cpu.snapshot();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                Http client = clientOf.get();
                String[] headers = client.token() == null ? new String[] {BenchmarkContext.UncheckedCaller.HEADER, "shop"}
                        : new String[0];
                while (remaining.getAndDecrement() > 0) {
                    long sent = System.nanoTime();
                    Http.Response response = client.postJson("/api/orders", Orders.oneBag(), headers);
                    long acked = System.nanoTime();
                    assertThat(response.status()).as(response.body()).isEqualTo(201);
                    synchronized (latency) {
                        latency.recordValue((acked - sent) / 1000);
                    }
                    ackedAt.put(response.json().get("orderId").asText(), acked);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long lastAck = System.nanoTime();
        CpuMeter.Snapshot after = cpu.snapshot();
        double seconds = (lastAck - start) / 1e9;
        Operations operations = new Operations(http);
        long fulfillmentLag = lag(operations, "fulfillment");
        long summaryLag = lag(operations, "order-summary");
        pool.shutdown();
        Histogram lag = new Histogram(3);
        long drain = awaitForwarded(ackedAt, lag);
        awaitEnded(ackedAt.keySet());
        Burst burst = new Burst(CpuMeter.totalMillis(before, after) / orders,
                CpuMeter.postgresMillis(before, after) / orders, CpuMeter.busyPercent(before, after, seconds * 1000),
                CpuMeter.table(CpuMeter.perOrder(before, after, orders)), fulfillmentLag, summaryLag,
                (System.nanoTime() - lastAck) / 1e9);
        return new Phase(clients, orders, orders / seconds, latency, lag, drain, burst, 0, 0);
    }

    /** A processor's lag in events as the operations API shows it, or -1 when it does not know it. */
    private static long lag(Operations operations, String processor) {
        JsonNode lag = operations.processor(processor).get("lag");
        return lag == null || lag.isNull() ? -1 : lag.asLong();
    }

    /** Waits until every order has ended (the next phase starts on an idle flow). */
    private void awaitEnded(java.util.Set<String> orderIds) {
        Object ids = orderIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(250)).until(() ->
                jdbc.queryForObject("select count(*) from order_summary where status in ('COMPLETED', 'FAILED', "
                        + "'CANCELLED') and order_id = any(?)", Long.class, ids) == orderIds.size());
    }

    /** Acceptance latency and forwarding lag of the open-loop phase, and how busy the machine was. */
    record Half(Histogram latencyMicros, Histogram lagMicros, double busyPercent) {
    }

    /** Open loop at a fixed rate; latency counts from when a request was due, so queueing is not hidden. */
    private Half paced(int clients, double perSecond, int orders) throws Exception {
        Histogram latency = new Histogram(3);
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        CpuMeter.Snapshot before = cpu.snapshot();
        long started = System.nanoTime();
        long intervalNanos = (long) (1e9 / perSecond);
        long start = System.nanoTime() + 100_000_000;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                Http client = asShop();
                int i;
                while ((i = next.getAndIncrement()) < orders) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    Http.Response response = client.postJson("/api/orders", Orders.oneBag());
                    long acked = System.nanoTime();
                    assertThat(response.status()).isEqualTo(201);
                    synchronized (latency) {
                        latency.recordValue((acked - due) / 1000);
                    }
                    ackedAt.put(response.json().get("orderId").asText(), acked);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double busy = CpuMeter.busyPercent(before, cpu.snapshot(), (System.nanoTime() - started) / 1e6);
        pool.shutdown();
        Histogram lag = new Histogram(3);
        awaitForwarded(ackedAt, lag);
        awaitEnded(ackedAt.keySet());
        return new Half(latency, lag, busy);
    }

    /** Waits until every acknowledged order is on Kafka; answers the time from the last ack to the last receipt. */
    private long awaitForwarded(Map<String, Long> ackedAt, Histogram lag) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!receivedAt.keySet().containsAll(ackedAt.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(receivedAt.keySet()).as("every accepted order reaches Kafka").containsAll(ackedAt.keySet());
        long lastAck = 0;
        long lastReceipt = 0;
        for (Map.Entry<String, Long> acked : ackedAt.entrySet()) {
            long received = receivedAt.get(acked.getKey());
            lag.recordValue(Math.max(0, received - acked.getValue()) / 1000);
            lastAck = Math.max(lastAck, acked.getValue());
            lastReceipt = Math.max(lastReceipt, received);
        }
        return Math.max(0, lastReceipt - lastAck) / 1_000_000;
    }

    private Thread startTopicConsumer() throws InterruptedException {
        CountDownLatch assigned = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            Properties props = new Properties();
            props.putAll(kafka(KafkaPrincipal.INSPECTOR));
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            try (KafkaConsumer<String, byte[]> consumer =
                         new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor("orderflow.order-events").stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                assigned.countDown();
                while (consuming.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        receivedAt.putIfAbsent(record.key(), System.nanoTime());
                    }
                }
            }
        }, "benchmark-topic-consumer");
        thread.setDaemon(true);
        thread.start();
        assertThat(assigned.await(60, TimeUnit.SECONDS)).isTrue();
        return thread;
    }

    /** The physical limit: one event-sized row per transaction, as many writers as clients. */
    private double rawInsertsPerSecond(int clients, int rows) throws Exception {
        // Made by the test's administrator connection: the application's role may create nothing; it only writes.
        jdbc.execute("CREATE TABLE IF NOT EXISTS benchmark_raw_insert "
                + "(id BIGSERIAL PRIMARY KEY, aggregate_identifier VARCHAR(255) NOT NULL, payload BYTEA NOT NULL)");
        jdbc.execute("GRANT INSERT ON benchmark_raw_insert TO \"" + jdbcUser + "\"");
        jdbc.execute("GRANT USAGE ON SEQUENCE benchmark_raw_insert_id_seq TO \"" + jdbcUser + "\"");
        AtomicInteger remaining = new AtomicInteger(rows);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CpuMeter.Snapshot before = cpu.snapshot();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                byte[] payload = new byte[EVENT_ROW_BYTES];
                // A connection per writer, outside the application's pool: the limit of the server, not of a pool.
                try (Connection connection = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
                     PreparedStatement insert = connection.prepareStatement(
                             "INSERT INTO benchmark_raw_insert (aggregate_identifier, payload) VALUES (?, ?)")) {
                    connection.setAutoCommit(true);
                    while (remaining.getAndDecrement() > 0) {
                        ThreadLocalRandom.current().nextBytes(payload);
                        insert.setString(1, UUID.randomUUID().toString());
                        insert.setBytes(2, payload);
                        insert.executeUpdate();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double perSecond = rows / ((System.nanoTime() - start) / 1e9);
        if (clients == 8 || Double.isNaN(rawCpuPerInsert)) {
            rawCpuPerInsert = CpuMeter.totalMillis(before, cpu.snapshot()) / rows;
        }
        pool.shutdown();
        jdbc.execute("DROP TABLE benchmark_raw_insert");
        return perSecond;
    }

    /**
     * The other physical limit: event-sized records produced to the same broker with {@code acks=all} and
     * idempotence (the publisher's settings), each send waited for before the next, as many producers as clients.
     */
    private double rawProducesPerSecond(int clients, int records) throws Exception {
        String topic = "benchmark.raw-produce";
        Properties props = new Properties();
        // The baseline's own topic, written and created as the brokers' super user (no application principal may
        // create a topic); on the same secured listener as the publisher, so the ratio compares like with like.
        props.putAll(kafka(KafkaPrincipal.BROKER));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        AtomicInteger remaining = new AtomicInteger(records);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            producers.add(new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()));
        }
        // The brokers create no topic on first use: one like the order topic (6 partitions), then metadata, before
        // the clock starts.
        try (Admin admin = Admin.create(kafka(KafkaPrincipal.BROKER))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            }
        }
        producers.get(0).send(new ProducerRecord<>(topic, "warm-up", new byte[EVENT_ROW_BYTES])).get();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (KafkaProducer<String, byte[]> producer : producers) {
            futures.add(pool.submit(() -> {
                byte[] payload = new byte[EVENT_ROW_BYTES];
                while (remaining.getAndDecrement() > 0) {
                    ThreadLocalRandom.current().nextBytes(payload);
                    producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), payload)).get();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double perSecond = records / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        producers.forEach(KafkaProducer::close);
        return perSecond;
    }

    private static void report(List<Phase> phases, double halfRate, Half halfLoad, double rawCpuPerInsert,
                               Auth auth) {
        StringBuilder table = new StringBuilder();
        table.append("| clients | orders/s | p50 ms | p99 ms | p99.9 ms | raw inserts/s | ratio "
                + "| raw produces/s (acks=all) | forward lag p50 ms | p99 ms | CPU ms per order | lag at the end: "
                + "fulfillment / order summary (events) | every order ended after s |\n");
        table.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Phase p : phases) {
            table.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %.1f | %.0f | %.2f | %.0f | %.1f "
                            + "| %.1f | %.1f | %d / %d | %.1f |%n",
                    p.clients(), p.ordersPerSecond(), ms(p.latencyMicros(), 50), ms(p.latencyMicros(), 99),
                    ms(p.latencyMicros(), 99.9), p.rawInsertsPerSecond(), p.ordersPerSecond() / p.rawInsertsPerSecond(),
                    p.rawProducesPerSecond(), ms(p.lagMicros(), 50), ms(p.lagMicros(), 99), p.burst().cpuPerOrder(),
                    p.burst().fulfillmentLag(), p.burst().summaryLag(), p.burst().endedAfterSeconds()));
        }
        System.out.printf("%n=== POST /api/orders benchmark (%d orders per phase, %d cores) ===%n%s%n"
                        + "At half the 8-client peak (%.0f orders/s, open loop, 8 clients): p50 %.1f ms, p99 %.1f ms, "
                        + "forwarding lag p99 %.1f ms, machine %.0f %% busy%n", ORDERS,
                Runtime.getRuntime().availableProcessors(), table, halfRate, ms(halfLoad.latencyMicros(), 50),
                ms(halfLoad.latencyMicros(), 99), ms(halfLoad.lagMicros(), 99), halfLoad.busyPercent());
        System.out.printf("Token checking: 8 clients, %d orders a phase, %d paired rounds (orders/s with a bearer JWT "
                + "checked on every request / without = ratio): %s; median ratio %.3f%n", AUTH_ORDERS, AUTH_ROUNDS,
                auth.roundsText(), auth.medianRatio());

        Phase eight = phases.stream().filter(p -> p.clients() == 8).findFirst()
                .orElse(phases.get(phases.size() - 1));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("table", table);
        figures.put("burst.clients", eight.clients());
        figures.put("burst.ordersPerSecond", eight.ordersPerSecond());
        figures.put("raw.insertsPerSecond", eight.rawInsertsPerSecond());
        figures.put("raw.cpuPerInsert", rawCpuPerInsert);
        figures.put("burst.ratio", eight.ordersPerSecond() / eight.rawInsertsPerSecond());
        figures.put("burst.cpuPerOrder", eight.burst().cpuPerOrder());
        figures.put("burst.cpuPostgresPerOrder", eight.burst().postgresPerOrder());
        figures.put("burst.busy", eight.burst().busyPercent());
        figures.put("burst.cpuTable", eight.burst().cpuTable());
        figures.put("burst.forwardP99", ms(eight.lagMicros(), 99));
        figures.put("half.rate", halfRate);
        figures.put("half.p50", ms(halfLoad.latencyMicros(), 50));
        figures.put("half.p99", ms(halfLoad.latencyMicros(), 99));
        figures.put("half.forwardP99", ms(halfLoad.lagMicros(), 99));
        figures.put("half.busy", halfLoad.busyPercent());
        figures.put("auth.withTokens", Arrays.stream(auth.withTokens()).average().orElse(Double.NaN));
        figures.put("auth.without", Arrays.stream(auth.without()).average().orElse(Double.NaN));
        figures.put("auth.rounds", auth.roundsText());
        figures.put("auth.ratio", auth.medianRatio());
        PerformanceReport.record(PerformanceReport.ACCEPTANCE, figures);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
