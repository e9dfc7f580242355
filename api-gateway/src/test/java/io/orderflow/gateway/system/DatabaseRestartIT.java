package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.OrderStream;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.infra.mail.SmtpServer;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario S8: PostgreSQL is stopped immediately ({@code pg_ctl stop -m immediate}: no checkpoint, crash recovery
 * on the next start) while 4 clients place orders, and started again. Every acknowledged order must survive, the
 * processors must resume, and the gap audit must find no skipped event; the checker of docs/failure-scenarios.md
 * judges lost and duplicated effects. Requests made while the database is down fail (a 5xx, the server's problem)
 * or time out; none is acknowledged without its event.
 */
class DatabaseRestartIT extends EmbeddedSystemTest {

    private static final int CLIENTS = 4;
    private static final Duration LOAD = Duration.ofSeconds(ScenarioSize.pick(12, 40));
    private static final Duration DOWN = Duration.ofSeconds(4);

    @Autowired
    EmbeddedPostgresServer postgres;

    @Autowired
    SmtpServer smtp;


    @Test
    void givenOrdersFlowing_whenPostgresIsStoppedImmediatelyAndStarted_thenNoAcknowledgedOrderIsLostOrSkipped()
            throws Exception {
        OrderStream.stockSku(http);
        OrderStream stream = OrderStream.start(() -> http, CLIENTS,
                OrderStream::anyOrder);
        long started = System.nanoTime();
        long restartedAt;
        long firstAckAfterRestart;
        long stoppedAt;
        try {
            Thread.sleep(LOAD.toMillis() / 4);
            stoppedAt = System.nanoTime();
            postgres.stopImmediate();
            Thread.sleep(DOWN.toMillis());
            postgres.start();
            restartedAt = System.nanoTime();
            firstAckAfterRestart = stream.awaitAcknowledgementAfter(restartedAt, Duration.ofSeconds(60));
            Thread.sleep(Math.max(0, LOAD.toMillis() - Duration.ofNanos(System.nanoTime() - started).toMillis()));
        } finally {
            stream.stop();
        }
        Set<UUID> acknowledged = stream.acknowledged();

        ScenarioChecker checker = new ScenarioChecker(jdbc, kafka(KafkaPrincipal.INSPECTOR), smtp);
        Map<String, Integer> ends = checker.awaitEnded(acknowledged, Duration.ofSeconds(ScenarioSize.pick(180, 400)));
        Operations operations = new Operations(http);
        for (String processor : List.of("__axon-kafka-event-publishing-group", "order-summary", "fulfillment",
                "analytics", "notifications")) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(120));
        }
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - restartedAt).toMillis();
        ScenarioChecker.Report report = checker.check(acknowledged, stream.indeterminateKeys());
        var audit = http.get("/api/admin/gap-audit").json();
        long skipped = 0;
        for (var projection : audit.get("projections")) {
            skipped += projection.get("skipped").size();
        }

        long firstAckMillis = Duration.ofNanos(firstAckAfterRestart - restartedAt).toMillis();
        ScenarioReport.record(new ScenarioReport.Row("S8", "database restart",
                "PostgreSQL stopped with pg_ctl stop -m immediate for " + DOWN.toSeconds() + " s under "
                        + CLIENTS + " clients, then started", acknowledged.size(), report.lostAnywhere(),
                report.duplicated(), "first order acknowledged " + firstAckMillis + " ms after the restart; every "
                        + "order ended and every processor caught up " + recoveredMillis + " ms after it",
                ends.keySet().equals(Set.of("COMPLETED")) && report.clean() && skipped == 0
                        && stream.clientErrors().isEmpty(),
                "requests failed while it was down " + stream.failedByStatus() + "; " + report.summary()
                        + "; end states " + ends + "; skipped events found by the gap audit " + skipped));
        assertThat(Duration.ofNanos(restartedAt - stoppedAt)).isGreaterThanOrEqualTo(DOWN);
        assertThat(stream.clientErrors()).as("4xx answers to valid orders").isEmpty();
        assertThat(acknowledged).as("orders acknowledged").isNotEmpty();
        assertThat(ends).containsOnlyKeys("COMPLETED");
        assertThat(report.clean()).as("checker: %s", report).isTrue();
        assertThat(skipped).as("events skipped by a projection").isZero();
    }
}
