package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OrderStream;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.judge.BusinessEffects;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.gateway.testkit.process.SystemHarness;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import io.orderflow.infra.postgres.backup.BackupRestore;
import io.orderflow.infra.postgres.backup.BaseBackups;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery drill S19: the PostgreSQL server is lost with its data directory while the packaged application runs and
 * orders keep coming. The WAL archive has streamed every commit as it happened; a base backup was taken while the
 * orders flowed. The runbook (docs/operations/postgresql-lost.md) restores the backup and the archive into a new data
 * directory and starts the server on it, which replays the log to the last committed transaction. Every acknowledged
 * order is there and ends once; nothing is charged, shipped, mailed or invoiced twice; every processor catches up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresLossIT {

    private static final int RATE = 8;
    private static final Duration BEFORE_BACKUP = Duration.ofSeconds(ScenarioSize.pick(5, 20));
    private static final Duration AFTER_BACKUP = Duration.ofSeconds(ScenarioSize.pick(6, 30));
    private static final Duration OUTAGE = Duration.ofSeconds(ScenarioSize.pick(4, 15));

    private SystemHarness system;

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void s19_thePostgresServerLostWithItsData_isRestoredToItsLastCommit_andNoEffectIsRepeated() throws Exception {
        system = SystemHarness.builder().brokers(ScenarioSize.pick(1, 3)).archiveWal().start();
        EmbeddedPostgresServer postgres = system.postgres();
        BaseBackups backups = system.backups();
        JdbcTemplate jdbc = system.jdbc();
        Http http = system.http();
        Operations operations = new Operations(http);
        OrderStream.stockSku(http);
        List<String> processors = operations.processorNames();

        OrderStream before = OrderStream.start(() -> http, 2, RATE, OrderStream::anyOrder);
        Thread.sleep(BEFORE_BACKUP.toMillis());
        BaseBackups.Backup backup = backups.take(postgres.jdbcUrl("postgres"), postgres.username(),
                postgres.password(), postgres.dataDirectory(), line -> System.out.println("backup: " + line));
        BaseBackups.Verification verification = backups.verify(backup);
        assertThat(verification.ok()).as("%s", verification).isTrue();
        int acknowledgedAtBackup = before.acknowledged().size();
        Thread.sleep(AFTER_BACKUP.toMillis());

        // What had ended before the loss, and its effects, to compare after the recovery.
        Set<UUID> endedBefore = new HashSet<>(jdbc.queryForList("SELECT order_id FROM order_summary "
                + "WHERE status IN ('COMPLETED', 'FAILED') AND generation = "
                + "(SELECT served FROM projection_generation WHERE projection = 'order-summary')", UUID.class));
        BusinessEffects effectsBefore = BusinessEffects.count(jdbc).of(endedBefore);

        // The disaster: the server killed while orders are placed, its data directory deleted.
        ProcessHandle.of(postgres.postmasterPid()).orElseThrow().destroyForcibly();
        long lostAt = System.nanoTime();
        postgres.stopImmediate();
        deleteTree(postgres);
        Thread.sleep(OUTAGE.toMillis());

        // The recovery, as the runbook gives it: restore the newest backup and the archive, start the server.
        long restoring = System.nanoTime();
        BackupRestore.Restored restored = BackupRestore.restore(backups, backups.find(null).orElseThrow(),
                postgres.dataDirectory());
        long restoreMillis = Duration.ofNanos(System.nanoTime() - restoring).toMillis();
        postgres.start();
        long serverMillis = Duration.ofNanos(System.nanoTime() - restoring).toMillis() - restoreMillis;
        long acknowledgedAgain = before.awaitAcknowledgementAfter(restoring, Duration.ofMinutes(3));
        before.stop();
        Map<String, UUID> retried = before.retryIndeterminate(http, Duration.ofMinutes(2));

        Set<UUID> acknowledged = new HashSet<>(before.acknowledged());
        acknowledged.addAll(retried.values());
        Map<String, Integer> ends = system.checker().awaitEnded(acknowledged,
                Duration.ofMinutes(ScenarioSize.pick(4, 10)));
        for (String processor : processors) {
            operations.awaitCaughtUp(processor, Duration.ofSeconds(180));
        }
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - restoring).toMillis();
        ScenarioChecker.Report report = system.checker().check(before.acknowledged(), before.indeterminateKeys());
        BusinessEffects repeated = BusinessEffects.count(jdbc).of(endedBefore).minus(effectsBefore);
        long invoicesTwice = jdbc.queryForObject("SELECT count(*) FROM (SELECT order_id FROM billing_document "
                + "WHERE kind = 'INVOICE' GROUP BY order_id HAVING count(*) > 1) twice", Long.class);

        boolean passed = report.clean() && repeated.none() && invoicesTwice == 0 && before.clientErrors().isEmpty();
        ScenarioReport.record(new ScenarioReport.Row("S19 PostgreSQL lost",
                "recovery drill: the database server lost",
                "PostgreSQL killed (SIGKILL) and its data directory deleted while 2 clients placed orders; "
                        + OUTAGE.toSeconds() + " s later the newest base backup and the WAL archive restored into "
                        + "a new data directory", acknowledged.size(), report.lostAnywhere(),
                report.duplicated() + repeated.total() + invoicesTwice,
                "restore " + restoreMillis + " ms, server up (log replayed) " + serverMillis + " ms, first order "
                        + "acknowledged again " + Duration.ofNanos(acknowledgedAgain - restoring).toMillis()
                        + " ms, every order ended and every processor caught up " + recoveredMillis + " ms after "
                        + "the restore began", passed,
                "backup " + backup + " taken after " + acknowledgedAtBackup + " orders; restored with "
                        + restored.walSegments() + " WAL segment(s) up to " + restored.lastSegment()
                        + (restored.lastSegmentPartial() ? ", the last one still being written" : "") + "; outage "
                        + Duration.ofNanos(restoring - lostAt).toMillis() + " ms; requests without an answer "
                        + before.indeterminateKeys().size() + " (sent again: " + retried.size()
                        + "; failed requests by status " + before.failedByStatus() + "); "
                        + endedBefore.size() + " orders ended before the loss, their effects before " + effectsBefore
                        + ", repeated " + repeated + "; invoices twice " + invoicesTwice + "; " + report.summary()
                        + "; end states " + ends));
        assertThat(before.clientErrors()).as("4xx answers").isEmpty();
        assertThat(before.failedStatuses()).as("while the database was gone: 503 or no answer, never an internal "
                + "error").isSubsetOf(0, 503);
        assertThat(report.lost()).as("acknowledged orders missing from the restored store").isEmpty();
        assertThat(report.clean()).as("checker: %s", report).isTrue();
        assertThat(repeated.none()).as("effects repeated for orders that had ended: %s", repeated).isTrue();
        assertThat(invoicesTwice).as("orders invoiced twice").isZero();
    }


    private static void deleteTree(EmbeddedPostgresServer postgres) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(postgres.dataDirectory())) {
            for (var file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(file);
            }
        }
    }
}
