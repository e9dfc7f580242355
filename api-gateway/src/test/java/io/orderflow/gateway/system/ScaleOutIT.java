package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OrderStream;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.gateway.testkit.process.AppProcess;
import io.orderflow.gateway.testkit.process.LoadBalancer;
import io.orderflow.gateway.testkit.process.SystemHarness;
import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.infra.support.LocalPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario S16: three instances of the packaged application on three secured brokers and one PostgreSQL, behind
 * HAProxy, while clients place orders through it. One instance is killed with SIGKILL, another stopped cleanly and
 * started again, and a fourth added. Every acknowledged order must end once, with no charge or e-mail twice; the
 * segments of the killed instance must be taken over within the claim timeout and a claim interval; the added one
 * must take a share; every processor must catch up at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT {

    /**
     * Orders per second through the load balancer: well below what the instances complete here together, since four
     * application JVMs, three brokers and PostgreSQL share two cores (at 12 a second an instance took over three
     * minutes to start again).
     */
    private static final int RATE = ScenarioSize.pick(6, 8);
    /** How long an instance may take to start on this crowded machine. */
    private static final Duration START = Duration.ofSeconds(300);
    private static final Duration PHASE = Duration.ofSeconds(ScenarioSize.pick(5, 30));
    /** The documented takeover bound: the claim timeout (10 s) and the claim interval (5 s), with room for a batch. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(20);
    private static final List<String> SPREAD = List.of("order-summary", "customer-profile");

    private SystemHarness system;
    private LoadBalancer balancer;

    @AfterAll
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void s16_threeInstancesBehindALoadBalancer_oneKilledOneRestartedOneAdded_nothingLostOrRepeated() throws Exception {
        system = SystemHarness.builder().brokers(3).appEnv("ORDERFLOW_INSTANCE_ID", "app-1").start();
        JdbcTemplate jdbc = system.jdbc();
        AppProcess second = system.instance("app-2", 0);
        second.start(START);
        AppProcess third = system.instance("app-3", 0);
        third.start(START);
        int fourthPort = LocalPorts.pickFree();
        AppProcess fourth = system.instance("app-4", fourthPort);
        balancer = LoadBalancer.start(Path.of("target", "haproxy-" + UUID.randomUUID()),
                List.of(system.app().port(), second.port(), third.port(), fourthPort));
        Http http = new Http(balancer.url(), system.app().tokens().asOperator());
        OrderStream.stockSku(http);
        Storage storageBefore = storage(jdbc);

        long spreadMillis = awaitMillis(Duration.ofSeconds(60), "the segments spread over app-1, app-2 and app-3",
                () -> holders(jdbc).keySet().containsAll(List.of("app-1", "app-2", "app-3")));
        Map<String, Integer> spreadOf3 = holders(jdbc);

        List<String> timings = new ArrayList<>();
        OrderStream stream = OrderStream.start(() -> http, 3, RATE, OrderStream::anyOrder);
        long killMillis;
        long handBackMillis;
        long restartMillis;
        long addMillis;
        Map<String, Integer> spreadOf4;
        try {
            Thread.sleep(PHASE.toMillis());

            second.kill();
            killMillis = awaitMillis(TAKEOVER_BOUND.plusSeconds(40), "app-2's segments taken over",
                    () -> jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE owner IS NULL "
                            + "OR owner LIKE 'app-2/%'", Long.class) == 0);
            timings.add("SIGKILL of app-2: every segment claimed again after " + killMillis + " ms");
            Thread.sleep(PHASE.toMillis());

            long stopping = System.nanoTime();
            third.close();
            handBackMillis = jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE owner LIKE 'app-3/%'",
                    Long.class) == 0 ? millisSince(stopping) : -1;
            long taken = awaitMillis(Duration.ofSeconds(60), "app-3's segments taken over after its stop",
                    () -> jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE owner IS NULL "
                            + "OR owner LIKE 'app-3/%'", Long.class) == 0);
            restartMillis = third.start(START).toMillis();
            timings.add("clean stop of app-3: its claims given back by the end of the stop (" + handBackMillis
                    + " ms), taken over " + taken + " ms later; started again in " + restartMillis + " ms");
            Thread.sleep(PHASE.toMillis());

            long started = fourth.start(START).toMillis();
            addMillis = awaitMillis(Duration.ofSeconds(60), "app-4 takes a share",
                    () -> holders(jdbc).containsKey("app-4"));
            spreadOf4 = holders(jdbc);
            timings.add("app-4 added: started in " + started + " ms, holding segments " + addMillis
                    + " ms after that");
            Thread.sleep(PHASE.toMillis());
        } finally {
            stream.stop();
        }

        Set<UUID> acknowledged = new HashSet<>(stream.acknowledged());
        acknowledged.addAll(stream.retryIndeterminate(http, Duration.ofSeconds(60)).values());
        ScenarioChecker checker = system.checker();
        Map<String, Integer> ends = checker.awaitEnded(acknowledged, Duration.ofMinutes(ScenarioSize.pick(4, 10)));
        Operations operations = new Operations(http);
        List<String> processors = new ArrayList<>();
        http.get("/api/admin/processors").json().forEach(view -> processors.add(view.get("name").asText()));
        for (String processor : processors) {
            try {
                operations.awaitCaughtUp(processor, Duration.ofSeconds(120));
            } catch (RuntimeException | AssertionError notCaughtUp) {
                StringBuilder views = new StringBuilder();
                for (AppProcess instance : List.of(system.app(), third, fourth)) {
                    views.append("\n").append(instance.port()).append(": ")
                            .append(instance.http().get("/api/admin/processors/" + processor).body());
                }
                views.append("\ntokens: ").append(jdbc.queryForList("SELECT segment, owner, timestamp FROM token_entry "
                        + "WHERE processor_name = ?", processor));
                throw new AssertionError(processor + " did not catch up; as each instance sees it:" + views,
                        notCaughtUp);
            }
        }
        ScenarioChecker.Report report = checker.check(acknowledged, stream.indeterminateKeys());
        Storage storageAfter = storage(jdbc);
        long orders = acknowledged.size();
        String storagePerOrder = String.format("storage per order: PostgreSQL %,d bytes, Kafka %,d bytes per replica "
                        + "(%,d bytes on a replication factor of 3)",
                (storageAfter.database() - storageBefore.database()) / orders,
                (storageAfter.kafkaPerReplica() - storageBefore.kafkaPerReplica()) / orders,
                3 * (storageAfter.kafkaPerReplica() - storageBefore.kafkaPerReplica()) / orders);
        System.out.println("S16 " + storagePerOrder);
        long runningSagas = jdbc.queryForObject("SELECT count(*) FROM saga_entry", Long.class);

        boolean passed = report.clean() && runningSagas == 0 && stream.clientErrors().isEmpty()
                && killMillis <= TAKEOVER_BOUND.toMillis();
        ScenarioReport.record(new ScenarioReport.Row("S16", "instances killed, restarted and added behind a load "
                + "balancer", "3 instances behind HAProxy on 3 secured brokers, " + RATE + " orders/s from 3 clients; "
                + "app-2 killed with SIGKILL, app-3 stopped cleanly and started again, app-4 added",
                acknowledged.size(), report.lostAnywhere(), report.duplicated(),
                "segments taken over " + killMillis + " ms after the SIGKILL (bound " + TAKEOVER_BOUND.toSeconds()
                        + " s)", passed,
                String.join("; ", timings) + "; segments of " + SPREAD + " by instance: " + spreadOf3
                        + " within " + spreadMillis + " ms of the start, " + spreadOf4 + " with app-4; "
                        + report.summary() + "; end states " + ends + "; sagas still running " + runningSagas
                        + "; every processor caught up; requests failed " + stream.failedByStatus() + "; "
                        + storagePerOrder));
        assertThat(stream.clientErrors()).as("4xx answers to valid orders").isEmpty();
        assertThat(report.clean()).as("checker: %s", report).isTrue();
        assertThat(runningSagas).as("sagas still running").isZero();
        assertThat(killMillis).as("takeover after the SIGKILL, ms").isLessThanOrEqualTo(TAKEOVER_BOUND.toMillis());
        assertThat(handBackMillis).as("a clean stop gives its claims back").isNotNegative();
        assertThat(spreadOf4).as("the added instance's share").containsKey("app-4");
    }

    /** The database's size, and what the orderflow topics' records take on one replica (the log files alone). */
    private record Storage(long database, long kafkaPerReplica) {
    }

    private Storage storage(JdbcTemplate jdbc) throws Exception {
        long database = jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class);
        long kafka = 0;
        try (Admin admin = Admin.create(system.kafka(KafkaPrincipal.ADMIN))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            for (var logDirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (var logDir : logDirs.values()) {
                    for (var replica : logDir.replicaInfos().entrySet()) {
                        if (replica.getKey().topic().startsWith("orderflow.")) {
                            kafka += replica.getValue().size();
                        }
                    }
                }
            }
            return new Storage(database, kafka / brokers.size());
        }
    }

    /** How many segments of the spread processors each instance holds, by instance name. */
    private static Map<String, Integer> holders(JdbcTemplate jdbc) {
        Map<String, Integer> held = new TreeMap<>();
        jdbc.query("SELECT owner FROM token_entry WHERE processor_name IN ('order-summary', 'customer-profile') "
                + "AND owner IS NOT NULL", row -> {
                    held.merge(row.getString(1).replaceAll("/.*", ""), 1, Integer::sum);
                });
        return held;
    }

    private static long awaitMillis(Duration timeout, String what, BooleanSupplier condition)
            throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > timeout.toNanos()) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(100);
        }
        return millisSince(started);
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
